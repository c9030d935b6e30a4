/* math_piecewise: fabs fmin fmax floor ceil round trunc fmod, and erf.
 * The test points are away from every kink (fabs at 0, fmin/fmax ties,
 * rounding functions at integers and half-integers, fmod where the
 * quotient is an integer). */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL math_piecewise(REAL x, REAL y) {
  REAL a = fabs(x) * y + fabs(y - 3);
  REAL b = fmin(x, y) + fmax(x * x, y) + fmin(2.0, x);
  REAL c = floor(x * 2) * y + ceil(y) * x + round(x * y) + trunc(3 * y - x) * x;
  REAL d = fmod(x * 5, y) + fmod(7.5, x) + erf(x - y);
  return a + b * c + d;
}
#pragma vgrad value_and_grad(math_piecewise) argnums(0, 1)

#ifdef VG_DRIVER
#include "math_piecewise.vg.h"
#include "fdcheck.h"

static REAL in_x, in_y;
static REAL loss(void) { return math_piecewise(in_x, in_y); }

int main(void) {
  static const REAL points[][2] = {{0.65, 1.35}, {-1.3, 2.3}};
  for (int i = 0; i < 2; i++) {
    in_x = points[i][0];
    in_y = points[i][1];
    REAL d_x = 0, d_y = 0;
    REAL v = math_piecewise_value_and_grad(in_x, in_y, &d_x, &d_y);
    fd_value("value", v, math_piecewise(in_x, in_y));
    fd_check("d_x", i, &in_x, d_x, loss);
    fd_check("d_y", i, &in_y, d_y, loss);
  }
  return fd_report("math_piecewise");
}
#endif
