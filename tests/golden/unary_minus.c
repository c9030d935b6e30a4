/* unary_minus: negation of variables, of expressions, twice, and of an
 * argument (unary plus too). */
#ifndef REAL
#define REAL double
#endif

REAL unary_minus(REAL x, REAL y) {
  REAL a = -x;
  REAL b = -(x * y) + -a;
  REAL c = - -y;
  REAL d = +x * -c;
  return -(a * b) - c * d + -2.5 * -b;
}
#pragma vgrad value_and_grad(unary_minus) argnums(0, 1)

#ifdef VG_DRIVER
#include "unary_minus.vg.h"
#include "fdcheck.h"

static REAL in_x = 1.1, in_y = -0.4;
static REAL loss(void) { return unary_minus(in_x, in_y); }

int main(void) {
  REAL d_x = 0, d_y = 0;
  REAL v = unary_minus_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("value", v, unary_minus(in_x, in_y));
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);
  return fd_report("unary_minus");
}
#endif
