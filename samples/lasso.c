/* lasso.c: a lasso objective returning the loss and its two parts, as in
 * MLX's lasso example, where the loss function returns (loss, mse, l1) and
 * only the first is differentiated:
 *
 *     mse  = 1/n * sum_i (x_i . w - y_i)^2
 *     l1   = sum_j |w_j|
 *     loss = a * mse + b * l1
 *
 * over n points x_i of d features (x is n-by-d, row-major).  The first
 * member of LassoOut is the loss; mse and l1 are auxiliary outputs, which
 * lasso_value_and_grad() returns along with the gradient with respect to
 * w.  Compile with -DREAL=float for float32. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

typedef struct {
  REAL loss, mse, l1;
} LassoOut;

LassoOut lasso(const REAL *w, const REAL *x, const REAL *y, int n, int d, REAL a, REAL b) {
  REAL mse = 0;
  for (int i = 0; i < n; i++) {
    REAL r = -y[i];
    for (int j = 0; j < d; j++)
      r += x[i * d + j] * w[j];
    mse += r * r;
  }
  mse = mse / n;
  REAL l1 = 0;
  for (int j = 0; j < d; j++)
    l1 += fabs(w[j]);
  LassoOut out = {a * mse + b * l1, mse, l1};
  return out;
}
#pragma vgrad value_and_grad(lasso) argnums(0)
