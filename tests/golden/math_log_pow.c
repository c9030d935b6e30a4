/* math_log_pow: log log2 log10 log1p sqrt cbrt pow hypot; pow with an
 * active base and exponent, a constant exponent, and a constant base. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL math_log_pow(REAL x, REAL y) {
  REAL a = log(x) * log2(y) + log10(x * y) - log1p(x / y);
  REAL b = sqrt(x + y) + cbrt(x - 3 * y);
  REAL c = pow(x, y) + pow(y, 3) + pow(2.0, x) + hypot(x, y - 1);
  return a * b + c;
}
#pragma vgrad value_and_grad(math_log_pow) argnums(0, 1)

#ifdef VG_DRIVER
#include "math_log_pow.vg.h"
#include "fdcheck.h"

static REAL in_x = 1.7, in_y = 2.3;
static REAL loss(void) { return math_log_pow(in_x, in_y); }

int main(void) {
  REAL d_x = 0, d_y = 0;
  REAL v = math_log_pow_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("value", v, math_log_pow(in_x, in_y));
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);
  return fd_report("math_log_pow");
}
#endif
