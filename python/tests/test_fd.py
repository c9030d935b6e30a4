"""Gradients from vgrad against central finite differences of the same C
function called through vgrad (fd.py: steps and tolerances), float64 and
float32 (-DREAL=float)."""
import os

import numpy as np
import pytest

import vgrad
import fd
from conftest import C_DIR, SAMPLES

PRECISIONS = [("double", np.float64), ("float", np.float32)]


def rng():
    return np.random.default_rng(15)


@pytest.mark.parametrize("real,dt", PRECISIONS)
def test_mse(real, dt):
    lib = vgrad.load(os.path.join(SAMPLES, "mse.c"), flags=["-DREAL=" + real])
    r = rng()
    n, d = 5, 3
    w = r.standard_normal(d).astype(dt)
    b = dt(0.3)
    x = r.standard_normal((n, d)).astype(dt)
    y = r.standard_normal(n).astype(dt)
    value, (d_w, d_b) = vgrad.value_and_grad(lib.mse, argnums=(0, 1))(w, b, x, y, n, d)
    assert value == lib.mse(w, b, x, y, n, d)
    assert d_w.dtype == dt and d_w.shape == (d,) and d_b.dtype == dt
    fd.check(d_w, fd.numeric(lambda: lib.mse(w, b, x, y, n, d), w, dt), dt, "d_w")
    bb = np.array(b, dtype=dt)
    fd.check(d_b, fd.numeric(lambda: lib.mse(w, bb, x, y, n, d), bb, dt), dt, "d_b")


@pytest.mark.parametrize("real,dt", PRECISIONS)
def test_lasso_has_aux(real, dt):
    lib = vgrad.load(os.path.join(SAMPLES, "lasso.c"), flags=["-DREAL=" + real])
    r = rng()
    n, d = 6, 4
    w = (r.standard_normal(d) + 0.5 * np.sign(r.standard_normal(d))).astype(dt)  # away from |w| = 0
    x = r.standard_normal((n, d)).astype(dt)
    y = r.standard_normal(n).astype(dt)
    (value, aux), d_w = vgrad.value_and_grad(lib.lasso, has_aux=True)(w, x, y, n, d, 0.7, 0.2)
    whole = lib.lasso(w, x, y, n, d, 0.7, 0.2)
    assert value == whole["loss"] and aux == {"mse": whole["mse"], "l1": whole["l1"]}
    assert aux["mse"].dtype == dt
    fd.check(d_w, fd.numeric(lambda: lib.lasso(w, x, y, n, d, 0.7, 0.2)["loss"], w, dt), dt, "d_w")
    g, aux2 = vgrad.grad(lib.lasso, has_aux=True)(w, x, y, n, d, 0.7, 0.2)
    assert np.array_equal(g, d_w) and aux2 == aux


def affine(r, dt):
    return {"scale": dt(r.standard_normal()), "shift": r.standard_normal(2).astype(dt), "unused_count": 3}


@pytest.mark.parametrize("real,dt", PRECISIONS)
def test_structs(real, dt):
    lib = vgrad.load(os.path.join(C_DIR, "structs.c"), flags=["-DREAL=" + real])
    r = rng()
    n = 5
    a, prior = affine(r, dt), affine(r, dt)
    x = r.standard_normal(2 * n).astype(dt)
    y = r.standard_normal(n).astype(dt)
    pred = np.zeros(n, dtype=dt)
    (value, aux), (d_a, d_prior, d_x) = vgrad.value_and_grad(lib.fit, argnums=(0, 1, 2), has_aux=True)(
        a, prior, x, y, pred, n)
    # the output through pred is written as the C function writes it
    assert np.allclose(pred, a["scale"] * x[0::2] + a["shift"][0] * x[1::2] + a["shift"][1], rtol=1e-5)
    assert aux["calls"] == n and set(aux) == {"fit", "penalty", "calls"}
    # a struct's gradient: a dict of its floating members, of their shapes and dtypes
    assert set(d_a) == {"scale", "shift"} and d_a["shift"].shape == (2,) and d_a["shift"].dtype == dt
    assert d_a["scale"].dtype == dt

    def loss():
        return lib.fit(a, prior, x, y, pred, n)["loss"]

    for struct, grads, name in ((a, d_a, "a"), (prior, d_prior, "prior")):
        s = np.array(struct["scale"])
        struct["scale"] = s
        fd.check(grads["scale"], fd.numeric(loss, s, dt), dt, name + ".scale")
        fd.check(grads["shift"], fd.numeric(loss, struct["shift"], dt), dt, name + ".shift")
    fd.check(d_x, fd.numeric(loss, x, dt), dt, "d_x")


@pytest.mark.parametrize("real,dt", PRECISIONS)
def test_array_of_structs_and_rows(real, dt):
    lib = vgrad.load(os.path.join(C_DIR, "structs.c"), flags=["-DREAL=" + real])
    r = rng()
    m = 3
    items = [affine(r, dt) for _ in range(m)]
    t = np.array(0.8, dtype=dt)
    value, (d_items, d_t) = vgrad.value_and_grad(lib.spread, argnums=(0, 2))(items, m, t)
    assert isinstance(d_items, list) and len(d_items) == m
    loss = lambda: lib.spread(items, m, t)  # noqa: E731
    for k in range(m):
        s = np.array(items[k]["scale"])
        items[k]["scale"] = s
        fd.check(d_items[k]["scale"], fd.numeric(loss, s, dt), dt, "set[%d].scale" % k)
        fd.check(d_items[k]["shift"], fd.numeric(loss, items[k]["shift"], dt), dt, "set[%d].shift" % k)
    fd.check(d_t, fd.numeric(loss, t, dt), dt, "d_t")

    # double **rows: a list of rows, its gradient a list of arrays (grad only:
    # the pragma asks for grad, so the value is compared with numpy's)
    rows = [r.standard_normal(4).astype(dt) for _ in range(3)]
    w = r.standard_normal(4).astype(dt)
    d_rows, d_w = vgrad.grad(lib.rows_loss, argnums=(0, 1))(rows, w, 3, 4)
    expected_w = sum(0.1 * row * np.exp(0.1 * row * w) for row in rows)
    fd.check(d_w, expected_w, dt, "d_w against the closed form")
    for i, row in enumerate(rows):
        fd.check(d_rows[i], 0.1 * w * np.exp(0.1 * row * w), dt, "d_rows[%d] against the closed form" % i)


@pytest.mark.parametrize("real,dt", PRECISIONS)
def test_struct_with_pointer_member(real, dt):
    lib = vgrad.load(os.path.join(C_DIR, "structs.c"), flags=["-DREAL=" + real])
    r = rng()
    n = 4
    m = {"n": n, "w": r.standard_normal(n).astype(dt), "scale": dt(0.7)}
    x = r.standard_normal(n).astype(dt)
    value, (d_m, d_x) = vgrad.value_and_grad(lib.model_loss, argnums=(0, 1))(m, x)
    # the gradient of the struct: its pointer member a new array of w's length, its scalar a number
    assert set(d_m) == {"w", "scale"} and d_m["w"].shape == (n,) and d_m["w"].dtype == dt
    loss = lambda: lib.model_loss(m, x)  # noqa: E731
    assert value == loss()
    fd.check(d_m["w"], fd.numeric(loss, m["w"], dt), dt, "m.w")
    s = np.array(m["scale"])
    m["scale"] = s
    fd.check(d_m["scale"], fd.numeric(loss, s, dt), dt, "m.scale")
    fd.check(d_x, fd.numeric(loss, x, dt), dt, "d_x")


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_arrays_entry_point(dt):
    lib = vgrad.load(os.path.join(C_DIR, "r_arrays.c"))
    r = rng()
    w = r.standard_normal((3, 1)).astype(dt)
    x = r.standard_normal((5, 3)).astype(dt)
    y = r.standard_normal((5, 1)).astype(dt)
    value, (d_w, d_y) = vgrad.value_and_grad(lib.lm_loss, argnums=(0, 2))(w, x, y)
    assert d_w.shape == (3, 1) and d_y.shape == (5, 1) and d_w.dtype == dt
    assert value == vgrad.value_and_grad(lib.lm_loss)(w, x, y)[0]

    def loss():
        return vgrad.value_and_grad(lib.lm_loss)(w, x, y)[0]

    fd.check(d_w, fd.numeric(loss, w, dt), dt, "d_w")
    fd.check(d_y, fd.numeric(loss, y, dt), dt, "d_y")


@pytest.mark.parametrize("real,dt", PRECISIONS)
def test_loss_clause(real, dt):
    """loss(err) on a void function, loss(total) on one returning a
    number: the value is the loss after the call, the return value aux."""
    lib = vgrad.load(os.path.join(C_DIR, "loss_clause.c"), flags=["-DREAL=" + real])
    w = np.random.default_rng(4).standard_normal(5).astype(dt)
    err = np.zeros(1, dtype=dt)
    value, d_w = vgrad.value_and_grad(lib.objective)(w, 5, err)
    assert value == err[0] and value.dtype == dt
    assert np.isclose(value, np.sum(np.cos(w) * w), rtol=1e-5)

    def loss():
        lib.objective(w, 5, err)
        return err[0]

    fd.check(d_w, fd.numeric(loss, w, dt), dt, "d_w")

    total = np.zeros(1, dtype=dt)
    (value, peak), d_w = vgrad.value_and_grad(lib.summarize, has_aux=True)(w, 5, total)
    assert peak == w.max() and value == total[0] and value.dtype == dt
    fd.check(d_w, 2 * w, dt, "d_w of the sum of squares")
