/* math_trig: sin cos tan asin acos atan atan2. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL math_trig(REAL x, REAL y) {
  REAL a = sin(x) * cos(y) + tan(x * y);
  REAL b = asin(x / 2) + acos(y / 3) + atan(x - y);
  return a * b + atan2(y, x) + atan2(x * x, y - 2);
}
#pragma vgrad value_and_grad(math_trig) argnums(0, 1)

#ifdef VG_DRIVER
#include "math_trig.vg.h"
#include "fdcheck.h"

static REAL in_x = 0.7, in_y = 1.2;
static REAL loss(void) { return math_trig(in_x, in_y); }

int main(void) {
  REAL d_x = 0, d_y = 0;
  REAL v = math_trig_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("value", v, math_trig(in_x, in_y));
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);
  return fd_report("math_trig");
}
#endif
