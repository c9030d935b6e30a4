"""The 64-128-1 perceptron (tanh, MSE) in PyTorch, on the inputs of
../problems.c mlp_problem_init."""
import torch

import common

NIN, NHID, BATCH = 64, 128, 512


def inputs():
    i = torch.arange(NHID * NIN, dtype=torch.float64)
    W1 = (0.125 * torch.sin(0.71 * i + 0.3)).reshape(NHID, NIN)
    j = torch.arange(NHID, dtype=torch.float64)
    b1 = 0.1 * torch.cos(0.19 * j)
    W2 = 0.09 * torch.sin(1.3 * j + 0.2)
    b2 = torch.tensor([0.05])
    X = torch.sin(0.37 * torch.arange(BATCH * NIN, dtype=torch.float64) + 0.1).reshape(BATCH, NIN)
    y = torch.cos(0.53 * torch.arange(BATCH, dtype=torch.float64))
    return W1, b1, W2, b2, X, y


def main():
    args = common.parse_args(__doc__, needs_input=False)
    W1, b1, W2, b2, X, y = inputs()

    def objective(W1, b1, W2, b2):
        h = torch.tanh(X @ W1.T + b1)
        return ((h @ W2 + b2 - y) ** 2).mean()

    common.run("mlp", args.size or "64-128-1_b512", [W1, b1, W2, b2], objective, args)


if __name__ == "__main__":
    main()
