// expect: 10:3: error: call to 'cblas_dger' with floating-point argument 'm' is not supported: vgradcc's built-in CBLAS rules cover cblas_Xdot, cblas_Xaxpy, cblas_Xscal, cblas_Xgemv and cblas_Xgemm, X = d or s (with <cblas.h> included); for 'cblas_dger' write the loop it computes
/* A CBLAS function without a built-in rule (a rank-one update, which
 * writes its result through a pointer): refused, naming the ones that
 * have rules. */
#include <cblas.h>

double cblas_unsupported(const double *x, double a) {
  double m[4] = {1, 2, 3, 4};
  double s = x[0] * a;
  cblas_dger(CblasRowMajor, 2, 2, a, x, 1, x, 1, m, 2);
  return s + m[0] * m[1] + m[2] * m[3];
}
#pragma vgrad value_and_grad(cblas_unsupported) argnums(all)
