/* lasso.c: a lasso objective returning the loss and its two parts, as in
 * MLX's lasso example, where the loss function returns (loss, mse, l1) and
 * only the first is differentiated:
 *
 *     mse  = 1/4 * sum_i (x_i . w - y_i)^2
 *     l1   = |w_0| + |w_1|
 *     loss = a * mse + b * l1
 *
 * The first member of LassoOut is the loss; mse and l1 are auxiliary
 * outputs, which lasso_value_and_grad() returns along with the gradient
 * with respect to w.
 *
 * vgradcc does not differentiate loops yet, so the sums are written out for
 * 4 points of 2 features.  Compile with -DREAL=float for float32. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

typedef struct {
  REAL loss, mse, l1;
} LassoOut;

LassoOut lasso(const REAL *w, const REAL *x, const REAL *y, REAL a, REAL b) {
  REAL r0 = x[0] * w[0] + x[1] * w[1] - y[0];
  REAL r1 = x[2] * w[0] + x[3] * w[1] - y[1];
  REAL r2 = x[4] * w[0] + x[5] * w[1] - y[2];
  REAL r3 = x[6] * w[0] + x[7] * w[1] - y[3];
  REAL mse = (r0 * r0 + r1 * r1 + r2 * r2 + r3 * r3) / 4;
  REAL l1 = fabs(w[0]) + fabs(w[1]);
  LassoOut out = {a * mse + b * l1, mse, l1};
  return out;
}
#pragma vgrad value_and_grad(lasso) argnums(0)
