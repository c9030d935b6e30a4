/* casts: conversions between the floating type, double and int.  (int) of
 * an active value is piecewise constant: no derivative flows through it.
 * An int converted to REAL is inactive. */
#ifndef REAL
#define REAL double
#endif

REAL casts(REAL x, REAL y, int n) {
  int k = (int)(x * 3);       /* 2 at the test point */
  int m = y;                  /* implicit conversion to int: 1 */
  double w = (double)x * y;   /* widening when REAL is float */
  REAL z = (REAL)(w * w) + (REAL)k * y;
  REAL q = (REAL)n / 4 + m;
  return z * x + q * x + (double)(int)(y * 10) / 10 * x + (REAL)(x / n);
}
#pragma vgrad value_and_grad(casts) argnums(0, 1)

#ifdef VG_DRIVER
#include "casts.vg.h"
#include "fdcheck.h"

static REAL in_x = 0.9, in_y = 1.63;
static int in_n = 3;
static REAL loss(void) { return casts(in_x, in_y, in_n); }

int main(void) {
  REAL d_x = 0, d_y = 0;
  REAL v = casts_value_and_grad(in_x, in_y, in_n, &d_x, &d_y);
  fd_value("value", v, casts(in_x, in_y, in_n));
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);
  return fd_report("casts");
}
#endif
