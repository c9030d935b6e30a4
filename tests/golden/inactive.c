/* inactive: an int parameter, a data array and a scale that are not
 * selected, and locals that never depend on the selected input (int
 * counters, constants, values computed from data alone): none of them
 * gets an adjoint. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL inactive(REAL x, const REAL *data, int n, REAL scale) {
  int last = n - 1;
  int twice = 2 * n;
  REAL k = 3.0;
  k = k * 2;
  REAL c = data[0] * scale + data[last];
  REAL mean = (data[0] + data[1] + data[2]) / n;
  REAL a = c * x * x + data[last] * sin(x);
  return a + k * mean * x / twice + k;
}
#pragma vgrad value_and_grad(inactive)

#ifdef VG_DRIVER
#include "inactive.vg.h"
#include "fdcheck.h"

static REAL in_x = 0.4, in_data[3] = {1.5, -2.0, 0.75}, in_scale = 2.0;
static int in_n = 3;
static REAL loss(void) { return inactive(in_x, in_data, in_n, in_scale); }

int main(void) {
  REAL d_x = 0;
  REAL v = inactive_value_and_grad(in_x, in_data, in_n, in_scale, &d_x);
  fd_value("value", v, inactive(in_x, in_data, in_n, in_scale));
  fd_check("d_x", -1, &in_x, d_x, loss);
  return fd_report("inactive");
}
#endif
