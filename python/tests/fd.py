"""Central finite differences with the steps and tolerances of
tests/fdcheck.h, by precision:

  float64: h = 1e-6 * max(1, |x|), pass if |g - n| <= 1e-6 + 1e-5 * max(|g|, |n|)
  float32: h = 1e-2 * max(1, |x|), pass if |g - n| <= 2e-3 + 2e-2 * max(|g|, |n|)

The inputs are perturbed in their own dtype, so a float32 function is
evaluated in float32 (the quotient divides by the step actually taken)."""
import numpy as np

TOL = {np.float64: (1e-6, 1e-6, 1e-5), np.float32: (1e-2, 2e-3, 2e-2)}


def params(dtype):
    return TOL[np.dtype(dtype).type]


def numeric(loss, x, dtype):
    """d loss / d x[i] for every element of array x (modified in place and
    restored); loss() takes no arguments and reads x."""
    h_rel = params(dtype)[0]
    out = np.zeros(x.shape, dtype=np.float64)
    flat = x.reshape(-1)  # a view: x is contiguous
    for i in range(flat.size):
        x0 = flat[i]
        h = h_rel * max(1.0, abs(float(x0)))
        flat[i] = x0 + np.array(h, dtype=x.dtype)
        up = float(flat[i])
        f_up = float(loss())
        flat[i] = x0 - np.array(h, dtype=x.dtype)
        down = float(flat[i])
        f_down = float(loss())
        flat[i] = x0
        out.reshape(-1)[i] = (f_up - f_down) / (up - down)
    return out


def check(analytic, numeric_value, dtype, what):
    _, abs_tol, rel_tol = params(dtype)
    g = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric_value, dtype=np.float64)
    assert g.shape == n.shape, what
    bad = np.abs(g - n) > abs_tol + rel_tol * np.maximum(np.abs(g), np.abs(n))
    assert not bad.any(), "%s: analytic %s, numeric %s" % (what, g[bad], n[bad])
