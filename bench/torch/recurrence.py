"""x = x + h sin(p x), 1,000,000 steps, in eager PyTorch: a scalar loop, one
autograd node per operation (nothing to vectorise)."""
import torch

import common


def main():
    args = common.parse_args(__doc__, needs_input=False)
    h, steps = 2e-6, 1_000_000

    def objective(x0, p):
        x = x0
        for _ in range(steps):
            x = x + h * torch.sin(p * x)
        return x

    common.run("recurrence", args.size or "1e6_steps",
               [torch.tensor(0.5), torch.tensor(1.3)], objective, args)


if __name__ == "__main__":
    main()
