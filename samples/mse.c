/* mse.c: the mean squared error of a linear model, as in MLX's mse example:
 *
 *     loss(w, b) = 1/n * sum_i (x_i . w + b - y_i)^2
 *
 * over n points x_i of d features (x is n-by-d, row-major).  The pragma
 * asks vgradcc for mse_value_and_grad(), which also returns the gradients
 * with respect to w (d values) and b.
 *
 * vgradcc does not differentiate loops yet, so the sums are written out for
 * n = 4 points of d = 2 features; the index expressions still use d.
 * Compile with -DREAL=float for a float32 version. */
#ifndef REAL
#define REAL double
#endif

REAL mse(const REAL *w, REAL b, const REAL *x, const REAL *y, int n, int d) {
  REAL e0 = x[0 * d + 0] * w[0] + x[0 * d + 1] * w[1] + b - y[0];
  REAL e1 = x[1 * d + 0] * w[0] + x[1 * d + 1] * w[1] + b - y[1];
  REAL e2 = x[2 * d + 0] * w[0] + x[2 * d + 1] * w[1] + b - y[2];
  REAL e3 = x[3 * d + 0] * w[0] + x[3 * d + 1] * w[1] + b - y[3];
  return (e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3) / n;
}
#pragma vgrad value_and_grad(mse) argnums(0, 1)
