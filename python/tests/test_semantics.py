"""value_and_grad / grad semantics (MLX and JAX), fresh outputs, errors,
and the cache."""
import ctypes
import os
import shutil

import numpy as np
import pytest

import vgrad
from conftest import C_DIR, REPO, SAMPLES


@pytest.fixture(scope="module")
def mse():
    return vgrad.load(os.path.join(SAMPLES, "mse.c")).mse


@pytest.fixture(scope="module")
def data():
    r = np.random.default_rng(3)
    return r.standard_normal(3), 0.25, r.standard_normal((4, 3)), r.standard_normal(4), 4, 3


def test_argnums_int_gives_one_gradient(mse, data):
    value, g = vgrad.value_and_grad(mse)(*data)  # default argnums=0
    assert isinstance(g, np.ndarray) and g.shape == (3,)
    value1, g1 = vgrad.value_and_grad(mse, argnums=1)(*data)
    assert value1 == value and np.shape(g1) == () and g1.dtype == np.float64


def test_argnums_sequence_gives_tuple_in_given_order(mse, data):
    _, (d_w, d_b) = vgrad.value_and_grad(mse, argnums=(0, 1))(*data)
    _, (d_b2, d_w2) = vgrad.value_and_grad(mse, argnums=[1, 0])(*data)
    _, one = vgrad.value_and_grad(mse, argnums=(1,))(*data)
    assert np.array_equal(d_w, d_w2) and d_b == d_b2
    assert isinstance(one, tuple) and len(one) == 1 and one[0] == d_b
    _, (d_b3,) = vgrad.value_and_grad(mse, argnums=(-5,))(*data)  # negative, as in JAX
    assert d_b3 == d_b


def test_argnames(mse, data):
    _, g = vgrad.value_and_grad(mse, argnames="b")(*data)
    _, (d_w, d_b) = vgrad.value_and_grad(mse, argnums=(0, 1))(*data)
    assert g[0] == () and set(g[1]) == {"b"} and g[1]["b"] == d_b
    pos, named = vgrad.grad(mse, argnums=0, argnames=["b"])(*data)
    assert np.array_equal(pos, d_w) and named == {"b": d_b}


def test_grad_and_keyword_arguments(mse, data):
    w, b, x, y, n, d = data
    g = vgrad.grad(mse)(w, b, x=x, y=y, n=n, d=d)
    assert np.array_equal(g, vgrad.value_and_grad(mse)(*data)[1])


def test_fresh_outputs_no_accumulation(mse, data):
    w = data[0].copy()
    f = vgrad.grad(mse, argnums=(0, 1))
    first = f(*data)
    second = f(*data)
    assert np.array_equal(first[0], second[0]) and first[1] == second[1]
    assert first[0] is not second[0] and not np.shares_memory(first[0], data[0])
    assert np.array_equal(w, data[0])  # inputs untouched


def test_lengths_and_dtype_from_the_arrays(mse, data):
    w, b, x, y, n, d = data
    with pytest.raises(TypeError, match="expected a float64 array, got float32"):
        vgrad.grad(mse)(w.astype(np.float32), b, x, y, n, d)
    g = vgrad.grad(mse)(list(w), b, x.tolist(), y, n, d)  # lists are converted
    assert np.allclose(g, vgrad.grad(mse)(*data))


def test_argnums_without_generated_function(mse, data):
    with pytest.raises(ValueError, match=r"add `#pragma vgrad value_and_grad\(mse\) argnums\(2\)` to mse\.c"):
        vgrad.value_and_grad(mse, argnums=2)(*data)
    with pytest.raises(ValueError, match="parameter 4, n .int., has no floating content"):
        vgrad.value_and_grad(mse, argnums=4)
    with pytest.raises(ValueError, match="out of range"):
        vgrad.grad(mse, argnums=6)
    with pytest.raises(ValueError, match="no parameter 'q'"):
        vgrad.grad(mse, argnames="q")


def test_grad_only_pragma_and_subset():
    lib = vgrad.load(os.path.join(C_DIR, "r_examples.c"))
    x = np.arange(1.0, 5.0).reshape(2, 2)
    w = np.array([1.0, -1.0])
    # grad(square_loss) argnums(1) serves grad w.r.t. x; value_and_grad w.r.t. w
    # maps onto the value_and_grad argnums(0, 1) function and selects d_w
    vgrad.grad(lib.square_loss, argnums=1)(w, x, 2, 2)
    v, d_w = vgrad.value_and_grad(lib.square_loss)(w, x, 2, 2)
    assert np.shape(d_w) == (2,)
    rows = [np.ones(2)]
    slib = vgrad.load(os.path.join(C_DIR, "structs.c"))
    with pytest.raises(ValueError, match=r"no generated value and gradient .*add `#pragma vgrad value_and_grad"):
        vgrad.value_and_grad(slib.rows_loss)(rows, w, 1, 2)


def test_has_aux_checks():
    lasso = vgrad.load(os.path.join(SAMPLES, "lasso.c")).lasso
    w, x, y = np.ones(2), np.ones((3, 2)), np.ones(3)
    with pytest.raises(ValueError, match="pass has_aux=True"):
        vgrad.value_and_grad(lasso)(w, x, y, 3, 2, 1.0, 1.0)
    mse = vgrad.load(os.path.join(SAMPLES, "mse.c")).mse
    with pytest.raises(ValueError, match="has_aux=True, but mse returns double"):
        vgrad.value_and_grad(mse, has_aux=True)(w, 0.0, x, y, 3, 2)


def test_compile_error_carries_vgradcc_message(tmp_path):
    src = tmp_path / "bad.c"
    src.write_text("double f(double x) { top: x = x * 0.5;\n  goto top;\n  return x;\n}\n#pragma vgrad value_and_grad(f)\n")
    with pytest.raises(vgrad.CompileError) as e:
        vgrad.load(str(src))
    assert str(src) + ":2:3: error:" in str(e.value)
    src.write_text("double f(double x) { return x * x }\n#pragma vgrad value_and_grad(f)\n")
    with pytest.raises(vgrad.CompileError, match=r"bad\.c:1:34: error: expected ';'"):
        vgrad.load(str(src))


def test_complex_parameter_refused(tmp_path):
    # vgradcc differentiates complex parameters; ctypes cannot pass them: a clear error, not a wrong call
    src = tmp_path / "cplx.c"
    src.write_text("#include <complex.h>\n"
                   "double power(const double complex *z, int n) {\n"
                   "  double s = 0;\n  for (int i = 0; i < n; i++) s += cabs(z[i] * z[i]);\n  return s;\n}\n"
                   "#pragma vgrad value_and_grad(power)\n")
    lib = vgrad.load(str(src))
    with pytest.raises(TypeError, match="complex parameters are not supported by the Python binding"):
        vgrad.value_and_grad(lib.power)(np.array([0.1 + 0.2j, 0.3 - 0.1j]), 2)


def test_missing_function_and_pragma(tmp_path):
    lib = vgrad.load(os.path.join(SAMPLES, "mse.c"))
    with pytest.raises(AttributeError, match=r"mark it with `#pragma vgrad value_and_grad\(nothing\)`"):
        lib.nothing


def test_cache_by_content_of_file_and_headers(tmp_path):
    for name in ("structs.c", "shapes.h"):
        shutil.copy(os.path.join(C_DIR, name), tmp_path / name)
    src = str(tmp_path / "structs.c")
    first = vgrad.load(src)
    again = vgrad.load(src)
    assert again.so_path == first.so_path
    mtime = os.stat(first.so_path).st_mtime_ns
    r = np.random.default_rng(1)
    items = [{"scale": 0.5, "shift": r.standard_normal(2), "unused_count": 0}]
    before = first.spread(items, 1, 0.3)
    # editing the header the file includes rebuilds: PENALTY_WEIGHT changes fit
    header = tmp_path / "shapes.h"
    header.write_text(header.read_text().replace("PENALTY_WEIGHT 0.25", "PENALTY_WEIGHT 0.5"))
    edited = vgrad.load(src)
    assert edited.so_path != first.so_path and os.stat(first.so_path).st_mtime_ns == mtime
    a = {"scale": 1.0, "shift": np.array([0.5, -0.5]), "unused_count": 0}
    prior = {"scale": 0.0, "shift": np.zeros(2), "unused_count": 0}
    args = (a, prior, np.ones(2), np.zeros(1), np.zeros(1), 1)
    assert first.fit(*args)["penalty"] == edited.fit(*args)["penalty"] == 1.5
    assert first.fit(*args)["loss"] == 1.0 + 0.25 * 1.5 and edited.fit(*args)["loss"] == 1.0 + 0.5 * 1.5
    # other flags, another library
    assert vgrad.load(src, flags=["-DREAL=float"]).so_path != edited.so_path
    assert edited.spread(items, 1, 0.3) == before


def test_array_runtime_errors_raise_and_nothing_leaks():
    lib = vgrad.load(os.path.join(C_DIR, "r_arrays.c"))
    live = lib._cdll.vg_live_arrays
    live.restype = ctypes.c_long
    before = live()
    w, x, y = np.zeros((3, 1)), np.ones((4, 2)), np.ones((4, 1))
    with pytest.raises(RuntimeError, match=r"vg_matmul: shapes \(4,2\) and \(3,1\) are not aligned"):
        vgrad.value_and_grad(lib.lm_loss)(w, x, y)
    with pytest.raises(RuntimeError, match="vg_matmul"):
        lib.lm_loss(w, x, y)  # the C function itself
    for _ in range(50):
        vgrad.value_and_grad(lib.lm_loss, argnums=(0, 1, 2))(np.zeros((2, 1)), x, y)
        lib.square_loss(np.ones((2, 1)), x)
    assert live() == before
    # the library still works after an error
    assert vgrad.value_and_grad(lib.lm_loss)(np.zeros((2, 1)), x, y)[0] == 1.0


def test_scalar_only_file(tmp_path):
    """A file whose generated code needs nothing of the array runtime (no
    vg_free in its library) loads and differentiates scalars."""
    src = tmp_path / "scalars.c"
    src.write_text("float prod(float x, float y, int k) { return k * x * y + x; }\n"
                   "#pragma vgrad value_and_grad(prod) argnames(x, y)\n")
    lib = vgrad.load(str(src))
    value, (d_x, d_y) = vgrad.value_and_grad(lib.prod, argnums=(0, 1))(2.0, 3.0, 4)
    assert value == np.float32(26) and value.dtype == np.float32
    assert (d_x, d_y) == (13, 8) and d_x.dtype == np.float32
    assert vgrad.grad(lib.prod, argnames="y")(2.0, 3.0, k=4) == ((), {"y": 8})


def test_array_struct_return_has_aux_through_entry_point():
    """MLX's lasso with arrays (tests/golden/array_lasso.c): a struct of
    arrays, the loss first; aux named by the struct's members."""
    lib = vgrad.load(os.path.join(REPO, "tests", "golden", "array_lasso.c"))
    assert lib.array_lasso.entry is not None
    r = np.random.default_rng(7)
    w, x, y = r.standard_normal((3, 1)), r.standard_normal((5, 3)), r.standard_normal((5, 1))
    a, b = np.array(0.5), np.array(0.1)
    (value, aux), (d_w, d_b) = vgrad.value_and_grad(lib.array_lasso, argnums=(0, 4), has_aux=True)(w, x, y, a, b)
    mse = np.mean((x @ w - y) ** 2)
    l1 = np.sum(np.abs(w))
    assert set(aux) == {"mse", "l1"} and np.isclose(aux["mse"], mse) and np.isclose(aux["l1"], l1)
    assert np.isclose(value, 0.5 * mse + 0.1 * l1)
    assert np.isclose(d_b, l1) and d_w.shape == (3, 1)
    assert np.allclose(d_w, 0.5 * 2 * x.T @ (x @ w - y) / 5 + 0.1 * np.sign(w))
    with pytest.raises(ValueError, match="pass has_aux=True"):
        vgrad.grad(lib.array_lasso)(w, x, y, a, b)


def test_integer_parameters_take_integers(mse, data):
    w, b, x, y, n, d = data
    with pytest.raises(TypeError, match="expected an integer for int, got 4.0"):
        vgrad.grad(mse)(w, b, x, y, 4.0, d)
    assert np.array_equal(vgrad.grad(mse)(w, b, x, y, np.int64(4), d), vgrad.grad(mse)(*data))


PLAIN = """#include <math.h>
static double sq(double v) { return v * v; }
double loss(const double *w, double b, const double *x, int n) {
  double s = 0.0;
  for (int i = 0; i < n; i++)
    s += sq(w[i] * x[i] + b) + sin(w[i]);
  return s;
}
float lossf(const float *w, float b, const float *x, int n) {
  float s = 0.0f;
  for (int i = 0; i < n; i++)
    s += (w[i] * x[i] + b) * (w[i] * x[i] + b) + sinf(w[i]);
  return s;
}
int next(int n) { return n + 1; }
double weighted(const double *w, double a, int n) {
  double s = 0.0;
  for (int i = 0; i < n; i++)
    s += a * w[i] * w[i];
  return s;
}
#pragma vgrad grad(weighted) argnums(1)
"""


def test_function_without_pragma_differentiated_with_argnums_all(tmp_path):
    """design 1.8: a function without a pragma is differentiated as with
    argnums(all); one with nothing to differentiate (next) is left out, and
    a function's own pragma decides for it (weighted)."""
    from fd import check, numeric
    src = tmp_path / "plain.c"
    src.write_text(PLAIN)
    lib = vgrad.load(str(src))
    r = np.random.default_rng(5)
    w, x, b, n = r.standard_normal(4), r.standard_normal(4), 0.3, 4
    value, (d_w, d_b, d_x) = vgrad.value_and_grad(lib.loss, argnums=(0, 1, 2))(w, b, x, n)
    expected = float(np.sum((w * x + b) ** 2 + np.sin(w)))
    assert abs(value - expected) <= 1e-12 * max(1.0, abs(expected))
    check(d_w, numeric(lambda: lib.loss(w, b, x, n), w, np.float64), np.float64, "d_w")
    check(d_x, numeric(lambda: lib.loss(w, b, x, n), x, np.float64), np.float64, "d_x")
    bb = np.array([b])
    check(np.array([d_b]), numeric(lambda: lib.loss(w, float(bb[0]), x, n), bb, np.float64), np.float64, "d_b")
    w32, x32 = w.astype(np.float32), x.astype(np.float32)
    value32, (d_w32, d_x32) = vgrad.value_and_grad(lib.lossf, argnums=(0, 2))(w32, np.float32(b), x32, n)
    assert d_w32.dtype == np.float32 and abs(value32 - expected) <= 1e-4 * max(1.0, abs(expected))
    check(d_w32, numeric(lambda: lib.lossf(w32, np.float32(b), x32, n), w32, np.float32), np.float32, "float d_w")
    check(d_x32, numeric(lambda: lib.lossf(w32, np.float32(b), x32, n), x32, np.float32), np.float32, "float d_x")
    with pytest.raises(AttributeError, match=r"next"):
        vgrad.grad(lib.next)(3)
    d_a = vgrad.grad(lib.weighted, argnums=1)(w, 0.5, n)
    assert abs(d_a - float(np.sum(w * w))) <= 1e-12 * max(1.0, float(np.sum(w * w)))
    with pytest.raises(ValueError, match=r"add `#pragma vgrad grad\(weighted\) argnums\(0\)`"):
        vgrad.grad(lib.weighted, argnums=0)(w, 0.5, n)
