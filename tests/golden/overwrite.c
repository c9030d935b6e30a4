/* overwrite: variables overwritten many times, each new value computed
 * from the old one, so the reverse sweep needs the values as they were
 * (to-be-recorded analysis); a parameter is overwritten too. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL overwrite(REAL x, REAL y) {
  REAL t = x;
  t = t * t;
  t = sin(t) + y;
  t = t * t * y;
  t = exp(t / 4);
  REAL u = t;
  t = t / (1 + x * x);
  t = t - u * y;
  x = x * t;
  x = x * x;
  y = 3 * y;
  return x + t * y;
}
#pragma vgrad value_and_grad(overwrite) argnums(0, 1)

#ifdef VG_DRIVER
#include "overwrite.vg.h"
#include "fdcheck.h"

static REAL in_x = 0.9, in_y = 0.6;
static REAL loss(void) { return overwrite(in_x, in_y); }

int main(void) {
  REAL d_x = 0, d_y = 0;
  REAL v = overwrite_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("value", v, overwrite(in_x, in_y));
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);
  return fd_report("overwrite");
}
#endif
