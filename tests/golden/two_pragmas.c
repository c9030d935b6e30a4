/* two_pragmas: one function with both transforms, each with its own
 * selection; grad's gradient equals value_and_grad's. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

#pragma vgrad grad(two_pragmas) argnums(1)
REAL two_pragmas(REAL x, REAL y) {
  return cos(x * y) + x * x * y;
}
#pragma vgrad value_and_grad(two_pragmas) argnums(0, 1)

#ifdef VG_DRIVER
#include "two_pragmas.vg.h"
#include "fdcheck.h"

static REAL in_x = 0.9, in_y = 1.6;
static REAL loss(void) { return two_pragmas(in_x, in_y); }

int main(void) {
  REAL d_x = 0, d_y = 0, g_y = 0;
  REAL v = two_pragmas_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("value", v, two_pragmas(in_x, in_y));
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);
  two_pragmas_grad(in_x, in_y, &g_y);
  fd_same("grad's d_y", -1, g_y, d_y);
  return fd_report("two_pragmas");
}
#endif
