"""R's mlx_grad worked examples, reproduced exactly (the values are exact
in binary floating point, so they are compared with ==), in scalar C and
with libvgrad's arrays (the run-time entry points), float64 and float32."""
import os

import numpy as np
import pytest

import vgrad
from conftest import C_DIR


def column_wise(values, rows, cols, dtype):
    """R's matrix(values, rows, cols): filled column by column (a NumPy
    view in Fortran order: vgrad copies it, it is not C-contiguous)."""
    return np.asarray(values, dtype=dtype).reshape(cols, rows).T


@pytest.fixture(scope="module", params=["double", "float"])
def scalar_lib(request):
    return vgrad.load(os.path.join(C_DIR, "r_examples.c"), flags=["-DREAL=" + request.param])


def dtype_of(lib):
    return np.float32 if lib.lm_loss.params[0].ctype.target.name == "float" else np.float64


def test_lm_loss_gradient(scalar_lib):
    dt = dtype_of(scalar_lib)
    x = column_wise(np.arange(1, 9), 4, 2, dt)
    assert not x.flags.c_contiguous and x[0, 1] == 5
    y = np.array([1, 3, 2, 4], dtype=dt)
    w = np.zeros(2, dtype=dt)
    g = vgrad.grad(scalar_lib.lm_loss)(w, x, y, 4, 2)
    assert g.dtype == dt and g.shape == (2,)
    assert np.array_equal(g, np.array([-14.5, -34.5], dtype=dt))


def test_square_loss_value_and_gradients(scalar_lib):
    dt = dtype_of(scalar_lib)
    x = column_wise(np.arange(1, 5), 2, 2, dt)
    w = np.array([1, -1], dtype=dt)
    value, (d_w, d_x) = vgrad.value_and_grad(scalar_lib.square_loss, argnums=(0, 1))(w, x, 2, 2)
    assert value == 8 and value.dtype == dt
    assert np.array_equal(d_w, np.array([-12, -28], dtype=dt)) and d_w.dtype == dt
    assert d_x.shape == (2, 2) and d_x.dtype == dt
    assert np.array_equal(d_x, np.array([[-4, 4], [-4, 4]], dtype=dt))
    # the gradient w.r.t. x alone, from the file's grad(...) name(square_loss_grad_x)
    assert np.array_equal(vgrad.grad(scalar_lib.square_loss, argnums=1)(w, x, 2, 2), d_x)


@pytest.fixture(scope="module")
def array_lib():
    return vgrad.load(os.path.join(C_DIR, "r_arrays.c"))


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_arrays_lm_loss(array_lib, dt):
    x = column_wise(np.arange(1, 9), 4, 2, dt)
    y = np.array([1, 3, 2, 4], dtype=dt).reshape(4, 1)
    w = np.zeros((2, 1), dtype=dt)
    g = vgrad.grad(array_lib.lm_loss)(w, x, y)
    assert g.dtype == dt and g.shape == (2, 1)
    assert np.array_equal(g, np.array([[-14.5], [-34.5]], dtype=dt))


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_arrays_square_loss(array_lib, dt):
    x = column_wise(np.arange(1, 5), 2, 2, dt)
    w = np.array([1, -1], dtype=dt).reshape(2, 1)
    value, (d_w, d_x) = vgrad.value_and_grad(array_lib.square_loss, argnums=[0, 1])(w, x)
    assert value == 8 and value.dtype == dt
    assert np.array_equal(d_w, np.array([[-12], [-28]], dtype=dt))
    assert np.array_equal(d_x, np.array([[-4, 4], [-4, 4]], dtype=dt))
    # through the entry point, argnums in any order and subset, whatever the pragma said
    d_x2, d_w2 = vgrad.grad(array_lib.square_loss, argnums=(1, 0))(w, x)
    assert np.array_equal(d_x2, d_x) and np.array_equal(d_w2, d_w)
    assert array_lib.square_loss.entry is not None
