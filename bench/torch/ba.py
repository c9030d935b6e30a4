"""Bundle adjustment in PyTorch, vectorised over observations."""
import torch

import common


def load(path):
    """ADBench BA file: n m p and one camera, point, weight and feature,
    replicated: observation i sees camera i mod n and point i mod m."""
    tok = common.read_numbers(path)
    n, m, p = int(tok[0]), int(tok[1]), int(tok[2])
    vals = [float(v) for v in tok[3:3 + 17]]
    cams = torch.tensor(vals[0:11]).repeat(n, 1)
    X = torch.tensor(vals[11:14]).repeat(m, 1)
    w = torch.full((p,), vals[14])
    feats = torch.tensor(vals[15:17]).repeat(p, 1)
    i = torch.arange(p)
    obs = torch.stack([i % n, i % m], 1)
    return cams, X, w, obs, feats


def rodrigues_rotate(rot, v):
    theta2 = (rot * rot).sum(1, keepdim=True)
    small = theta2 <= 1e-16
    theta = torch.sqrt(torch.where(small, torch.ones_like(theta2), theta2))
    axis = rot / theta
    c, s = torch.cos(theta), torch.sin(theta)
    full = (v * c + torch.cross(axis, v, dim=1) * s
            + axis * ((axis * v).sum(1, keepdim=True) * (1 - c)))
    first_order = v + torch.cross(rot, v, dim=1)
    return torch.where(small, first_order, full)


def make_objective(obs, feats):
    cam_index, point_index = obs[:, 0], obs[:, 1]

    def objective(cams, X, w):
        cam = cams[cam_index]
        xcam = rodrigues_rotate(cam[:, 0:3], X[point_index] - cam[:, 3:6])
        uv = xcam[:, 0:2] / xcam[:, 2:3]
        r2 = (uv * uv).sum(1, keepdim=True)
        distortion = 1 + cam[:, 9:10] * r2 + cam[:, 10:11] * r2 * r2
        proj = cam[:, 6:7] * uv * distortion + cam[:, 7:9]
        residual = w[:, None] * (proj - feats)
        weight_residual = 1 - w * w
        return 0.5 * ((residual ** 2).sum() + (weight_residual ** 2).sum())

    return objective


def main():
    args = common.parse_args(__doc__)
    cams, X, w, obs, feats = load(args.input)
    common.run("ba", args.size, [cams, X, w], make_objective(obs, feats), args)


if __name__ == "__main__":
    main()
