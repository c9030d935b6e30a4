/* logreg.c: L2-regularised logistic regression. With z_i = x_i . w + b and
 * P(y_i = 1) = sigmoid(z_i), the loss is the mean negative log-likelihood
 * plus a ridge penalty on the weights (not on the bias):
 *
 *   loss(w, b) = 1/n sum_i [log(1 + exp(z_i)) - y_i z_i] + lambda/2 |w|^2
 *
 * log(1 + exp(z)) is computed as max(z, 0) + log1p(exp(-|z|)), which neither
 * overflows for large z nor loses the small values for very negative z.
 * vgradcc differentiates the loss with respect to w and b.
 *
 * Compile with -DREAL=float for a float32 version. */
#include "logreg.h"

#include <math.h>

#pragma vgrad value_and_grad(logreg_loss) argnames(w, b)

/* log(1 + exp(z)) without overflow. */
static REAL softplus(REAL z) {
  return fmax(z, 0.0) + log1p(exp(-fabs(z)));
}

REAL logreg_loss(const REAL *w, REAL b, const REAL *X, const int *y, int n, int d, REAL lambda) {
  REAL nll = 0.0;
  for (int i = 0; i < n; i++) {
    REAL z = b;
    for (int j = 0; j < d; j++)
      z += X[i * d + j] * w[j];
    nll += softplus(z) - y[i] * z;
  }
  REAL penalty = 0.0;
  for (int j = 0; j < d; j++)
    penalty += w[j] * w[j];
  return nll / n + 0.5 * lambda * penalty;
}
