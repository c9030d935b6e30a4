// expect: 8:10: error: hvp(hvp_cblas): the second derivative through vgradcc's built-in rule for 'cblas_ddot' is not supported yet; write the loop it computes
/* hvp through a built-in CBLAS rule: the rule's own derivative is not
 * vgradcc's (its body is in vgrad_cblas.h, not in the inputs). */
#include <cblas.h>

double hvp_cblas(const double *x) {
  double s = x[0] * x[1];
  return cblas_ddot(3, x, 1, x, 1) * s;
}
#pragma vgrad hvp(hvp_cblas)
