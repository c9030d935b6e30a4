"""RK4 on the four-species Lotka-Volterra system of ../problems.c, in
PyTorch: a loop over steps, vectorised over the four species."""
import torch

import common


def main():
    args = common.parse_args(__doc__, needs_input=False)
    h, steps = 0.01, 10_000
    x0 = torch.tensor([0.3, 0.4, 0.3, 0.2])
    r = torch.tensor([1.0, 0.72, 1.53, 1.27])
    a = torch.tensor([[1.0, 1.09, 1.52, 0.0], [0.0, 1.0, 0.44, 1.36],
                      [2.33, 0.0, 1.0, 0.47], [1.21, 0.51, 0.35, 1.0]])

    def objective(x0, r, a):
        def rhs(x):
            return r * x * (1 - a @ x)

        x = x0
        for _ in range(steps):
            k1 = rhs(x)
            k2 = rhs(x + 0.5 * h * k1)
            k3 = rhs(x + 0.5 * h * k2)
            k4 = rhs(x + h * k3)
            x = x + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        return 0.5 * (x * x).sum()

    common.run("rk4", args.size or "lv4_1e4_steps", [x0, r, a], objective, args)


if __name__ == "__main__":
    main()
