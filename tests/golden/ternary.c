/* ternary: ?: choosing between active values, nested, and inside an
 * expression; the driver visits every branch. */
#ifndef REAL
#define REAL double
#endif

REAL ternary(REAL x, REAL y) {
  REAL a = x > y ? x * x : y * y;
  REAL b = x < 0 ? -x : x;
  REAL c = x * y > 1 ? (y > 2 ? x : y) : x + y;
  return a * b + (a > 1 ? c : 2 * c) + (x < y ? 3 : 1) * x;
}
#pragma vgrad value_and_grad(ternary) argnums(0, 1)

#ifdef VG_DRIVER
#include "ternary.vg.h"
#include "fdcheck.h"

static REAL in_x, in_y;
static REAL loss(void) { return ternary(in_x, in_y); }

int main(void) {
  static const REAL points[][2] = {{1.4, 0.6}, {-0.5, 1.9}, {0.8, 2.5}, {0.3, 0.5}, {1.2, 1.5}};
  for (int i = 0; i < 5; i++) {
    in_x = points[i][0];
    in_y = points[i][1];
    REAL d_x = 0, d_y = 0;
    REAL v = ternary_value_and_grad(in_x, in_y, &d_x, &d_y);
    fd_value("value", v, ternary(in_x, in_y));
    fd_check("d_x", i, &in_x, d_x, loss);
    fd_check("d_y", i, &in_y, d_y, loss);
  }
  return fd_report("ternary");
}
#endif
