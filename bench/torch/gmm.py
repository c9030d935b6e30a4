"""GMM objective in PyTorch, vectorised over points and components."""
import math

import torch

import common


def load(path):
    """ADBench GMM file: d k n, alphas, means, icf, points, gamma m."""
    tok = common.read_numbers(path)
    d, k, n = int(tok[0]), int(tok[1]), int(tok[2])
    pos = 3

    def take(count, shape):
        nonlocal pos
        vals = [float(v) for v in tok[pos:pos + count]]
        pos += count
        return torch.tensor(vals).reshape(shape)

    alphas = take(k, (k,))
    means = take(k * d, (k, d))
    icf = take(k * d * (d + 1) // 2, (k, d * (d + 1) // 2))
    x = take(n * d, (n, d))
    gamma, m = float(tok[pos]), int(float(tok[pos + 1]))
    return alphas, means, icf, x, gamma, m


def log_gamma_distrib(a, d):
    return 0.25 * d * (d - 1) * math.log(math.pi) + sum(math.lgamma(a + 0.5 * (1 - j))
                                                       for j in range(1, d + 1))


def make_objective(x, gamma, m):
    n, d = x.shape
    # Strict lower part of Q, stored column by column.
    lower = [(row, col) for col in range(d) for row in range(col + 1, d)]
    flat_index = torch.tensor([row * d + col for row, col in lower], dtype=torch.long)

    def objective(alphas, means, icf):
        k = alphas.shape[0]
        log_diag = icf[:, :d]
        q = torch.diag_embed(torch.exp(log_diag)).reshape(k, d * d)
        q = q.index_add(1, flat_index, icf[:, d:]).reshape(k, d, d)
        centred = x[:, None, :] - means[None, :, :]                   # n k d
        q_centred = torch.einsum("kij,nkj->nki", q, centred)          # n k d
        main = alphas + log_diag.sum(1) - 0.5 * (q_centred ** 2).sum(2)
        slse = torch.logsumexp(main, 1).sum()
        dof = d + m + 1
        c = dof * d * (math.log(gamma) - 0.5 * math.log(2.0)) - log_gamma_distrib(0.5 * dof, d)
        frobenius = torch.exp(2 * log_diag).sum(1) + (icf[:, d:] ** 2).sum(1)
        prior = (0.5 * gamma * gamma * frobenius - m * log_diag.sum(1)).sum() - k * c
        return (-0.5 * n * d * math.log(2 * math.pi) + slse
                - n * torch.logsumexp(alphas, 0) + prior)

    return objective


def main():
    args = common.parse_args(__doc__)
    alphas, means, icf, x, gamma, m = load(args.input)
    common.run("gmm", args.size, [alphas, means, icf], make_objective(x, gamma, m), args)


if __name__ == "__main__":
    main()
