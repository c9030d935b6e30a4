/* A loss calling a function of another input, spline_tail.c, each file
 * with a static helper `basis` holding a constant table `coef` of its
 * own, and both calling the header's spline_bump, whose table `knots`
 * each input has: `vgradcc spline_loss.c spline_tail.c` (found by the
 * random programs' multifile feature, seed 63). */
#include "spline.h"

static REAL basis(REAL t) {
  static const REAL coef[3] = {(REAL)0.5, (REAL)-0.3, (REAL)0.2};
  return coef[0] + t * (coef[1] + t * coef[2]);
}

REAL spline_loss(const REAL *x, int n) {
  REAL sum = 0;
  for (int i = 0; i < n; i++)
    sum += basis(x[i]) * spline_bump(x[i]);
  return sum + spline_tail(x, n);
}
#pragma vgrad value_and_grad(spline_loss)
