// expect: 8:17: error: hvp(hvp_lgamma): the second derivative of lgamma or tgamma (the derivative of digamma) is not supported yet
/* lgamma's derivative is digamma, whose own derivative vgradcc does not have. */
#include <math.h>

double hvp_lgamma(const double *x, int n) {
  double s = 0;
  for (int i = 0; i < n; i++)
    s += lgamma(1.5 + x[i] * x[i]);
  return s;
}
#pragma vgrad hvp(hvp_lgamma)
