/* compare_logic: the six comparisons, && || and !, used both as int values
 * multiplying active values and as conditions. */
#ifndef REAL
#define REAL double
#endif

REAL compare_logic(REAL x, REAL y) {
  int lt = x < y, gt = x > y, le = x <= y, ge = x >= y, eq = x == y, ne = x != y;
  REAL r = x * lt + y * gt + x * y * le - y * ge + eq * 5 + ne * x;
  if ((x < y && !(y > 3)) || x == 10)
    r = r * x;
  if (!(x >= y) || y < 0)
    r = r + y;
  int both = (x > 0) && (y > 0);
  int either = (x > 2) || !(y < 2);
  r = r * (1 + both) + either * y;
  return r;
}
#pragma vgrad value_and_grad(compare_logic) argnums(0, 1)

#ifdef VG_DRIVER
#include "compare_logic.vg.h"
#include "fdcheck.h"

static REAL in_x, in_y;
static REAL loss(void) { return compare_logic(in_x, in_y); }

int main(void) {
  static const REAL points[][2] = {{0.5, 1.5}, {1.7, 0.4}, {-0.6, 2.5}, {2.5, -1.2}};
  for (int i = 0; i < 4; i++) {
    in_x = points[i][0];
    in_y = points[i][1];
    REAL d_x = 0, d_y = 0;
    REAL v = compare_logic_value_and_grad(in_x, in_y, &d_x, &d_y);
    fd_value("value", v, compare_logic(in_x, in_y));
    fd_check("d_x", i, &in_x, d_x, loss);
    fd_check("d_y", i, &in_y, d_y, loss);
  }
  return fd_report("compare_logic");
}
#endif
