/* mse.c: the mean squared error of a linear model, as in MLX's mse example:
 *
 *     loss(w, b) = 1/n * sum_i (x_i . w + b - y_i)^2
 *
 * over n points x_i of d features (x is n-by-d, row-major).  The pragma
 * asks vgradcc for mse_value_and_grad(), which also returns the gradients
 * with respect to w (d values) and b.
 *
 * Compile with -DREAL=float for a float32 version. */
#ifndef REAL
#define REAL double
#endif

REAL mse(const REAL *w, REAL b, const REAL *x, const REAL *y, int n, int d) {
  REAL sum = 0;
  for (int i = 0; i < n; i++) {
    REAL pred = b;
    for (int j = 0; j < d; j++)
      pred += x[i * d + j] * w[j];
    REAL err = pred - y[i];
    sum += err * err;
  }
  return sum / n;
}
#pragma vgrad value_and_grad(mse) argnums(0, 1)
