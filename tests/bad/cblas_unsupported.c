// expect: 10:3: error: call to 'cblas_daxpy' with floating-point argument 'y' is not supported: vgradcc's built-in CBLAS rules cover cblas_ddot and cblas_sdot (with <cblas.h> included); for 'cblas_daxpy' write the loop it computes
/* A CBLAS function without a built-in rule (one that writes its result
 * through a pointer): refused, naming the ones that have rules. */
#include <cblas.h>

double cblas_unsupported(const double *x, double a) {
  double y[3] = {1, 2, 3};
  double s = 0;
  s = x[0];
  cblas_daxpy(3, a, x, 1, y, 1);
  return s + y[0] * y[1] + y[2];
}
#pragma vgrad value_and_grad(cblas_unsupported) argnums(all)
