"""vgrad: gradients of C functions from Python, through vgradcc.

    import numpy as np, vgrad
    lib = vgrad.load("mse.c")   # runs vgradcc and cc once; cached
    value, (d_w, d_b) = vgrad.value_and_grad(lib.mse, argnums=(0, 1))(w, b, x, y, n, d)

value_and_grad and grad follow mlx.core.value_and_grad / jax.value_and_grad
(argnums, argnames, has_aux).  The file's `#pragma vgrad` decides which
gradient functions exist; argnums choose among what they differentiate."""

__version__ = "0.1.0"

from ._build import CompileError, cache_dir  # noqa: E402
from ._api import Function, Library, grad, load, value_and_grad  # noqa: E402

__all__ = ["CompileError", "Function", "Library", "cache_dir", "grad", "load", "value_and_grad"]
