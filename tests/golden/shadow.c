/* shadow: locals in nested blocks that shadow an outer local of the same
 * name; each has its own adjoint. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL shadow(REAL x, REAL y) {
  REAL t = x * y;
  {
    REAL t = x + y;
    y = t * t;
  }
  if (x > 0) {
    REAL t = sin(x);
    x = t * y;
  }
  return t * x + y;
}
#pragma vgrad value_and_grad(shadow) argnums(0, 1)

#ifdef VG_DRIVER
#include "shadow.vg.h"
#include "fdcheck.h"

static REAL in_x = 0.7, in_y = 0.3;
static REAL loss(void) { return shadow(in_x, in_y); }

int main(void) {
  REAL d_x = 0, d_y = 0;
  REAL v = shadow_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("value", v, shadow(in_x, in_y));
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);
  return fd_report("shadow");
}
#endif
