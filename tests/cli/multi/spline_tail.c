/* The second input of cli/multi-static-locals: its own static basis,
 * whose table coef has other values than spline_loss.c's. */
#include "spline.h"

static REAL basis(REAL t) {
  static const REAL coef[3] = {(REAL)-0.4, (REAL)0.7, (REAL)0.1};
  return coef[0] + t * (coef[1] + t * coef[2]);
}

REAL spline_tail(const REAL *x, int n) {
  REAL sum = 0;
  for (int i = 0; i < n; i++)
    sum += sin(basis(x[i])) + (REAL)0.5 * spline_bump((REAL)2 * x[i]);
  return sum;
}
