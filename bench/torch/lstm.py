"""LSTM objective in PyTorch: a loop over characters and layers, vectorised
over the b values of a character."""
import torch

import common


def load(path):
    """ADBench LSTM file: l c b, main parameters, extra parameters, state,
    sequence."""
    tok = common.read_numbers(path)
    l, c, b = int(tok[0]), int(tok[1]), int(tok[2])
    vals = torch.tensor([float(v) for v in tok[3:]])
    sizes = [2 * l * 4 * b, 3 * b, 2 * l * b, c * b]
    main, extra, state, seq = torch.split(vals[:sum(sizes)], sizes)
    return main, extra, state.reshape(l, 2, b), seq.reshape(c, b)


def make_objective(state0, seq):
    l, _, b = state0.shape
    c = seq.shape[0]

    def objective(main_params, extra_params):
        params = main_params.reshape(l, 2, 4, b)  # layer, weight/bias, gate, value
        extra = extra_params.reshape(3, b)
        hidden = [state0[i, 0] for i in range(l)]
        cell = [state0[i, 1] for i in range(l)]
        total = 0.0
        for t in range(c - 1):
            x = seq[t] * extra[0]
            for i in range(l):
                w, bias = params[i, 0], params[i, 1]
                forget = torch.sigmoid(x * w[0] + bias[0])
                ingate = torch.sigmoid(hidden[i] * w[1] + bias[1])
                outgate = torch.sigmoid(x * w[2] + bias[2])
                change = torch.tanh(hidden[i] * w[3] + bias[3])
                cell[i] = cell[i] * forget + ingate * change
                hidden[i] = outgate * torch.tanh(cell[i])
                x = hidden[i]
            ypred = x * extra[1] + extra[2]
            ynorm = ypred - torch.log(torch.exp(ypred).sum() + 2)
            total = total + (seq[t + 1] * ynorm).sum()
        return -total / ((c - 1) * b)

    return objective


def main():
    args = common.parse_args(__doc__)
    main_params, extra_params, state, seq = load(args.input)
    common.run("lstm", args.size, [main_params, extra_params], make_objective(state, seq), args)


if __name__ == "__main__":
    main()
