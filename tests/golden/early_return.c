/* early_return: return in a braceless then-branch, in a nested if, in an
 * else-branch, and at the end; the driver reaches each of them. */
#ifndef REAL
#define REAL double
#endif

REAL early_return(REAL x, REAL y) {
  if (x > 2)
    return x * y;
  REAL t = x * x;
  if (t > 1) {
    if (y < 0)
      return t - y;
    t = t * y;
  } else {
    return t / (1 + y * y);
  }
  t = t + x;
  return t * t;
}
#pragma vgrad value_and_grad(early_return) argnums(0, 1)

#ifdef VG_DRIVER
#include "early_return.vg.h"
#include "fdcheck.h"

static REAL in_x, in_y;
static REAL loss(void) { return early_return(in_x, in_y); }

int main(void) {
  static const REAL points[][2] = {{2.5, 0.3}, {1.5, -0.5}, {0.5, 0.8}, {1.5, 0.8}};
  for (int i = 0; i < 4; i++) {
    in_x = points[i][0];
    in_y = points[i][1];
    REAL d_x = 0, d_y = 0;
    REAL v = early_return_value_and_grad(in_x, in_y, &d_x, &d_y);
    fd_value("value", v, early_return(in_x, in_y));
    fd_check("d_x", i, &in_x, d_x, loss);
    fd_check("d_y", i, &in_y, d_y, loss);
  }
  return fd_report("early_return");
}
#endif
