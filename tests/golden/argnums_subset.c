/* argnums_subset: two of four parameters selected, listed out of order:
 * the gradient outputs follow parameter order (d_b, then d_d). */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL argnums_subset(REAL a, REAL b, REAL c, REAL d) {
  return a * b + sin(b * d) + c * a * d - d / (1 + c * c);
}
#pragma vgrad value_and_grad(argnums_subset) argnums(3, 1)

#ifdef VG_DRIVER
#include "argnums_subset.vg.h"
#include "fdcheck.h"

static REAL in_a = 0.3, in_b = -1.1, in_c = 0.7, in_d = 1.9;
static REAL loss(void) { return argnums_subset(in_a, in_b, in_c, in_d); }

int main(void) {
  REAL d_b = 0, d_d = 0;
  REAL v = argnums_subset_value_and_grad(in_a, in_b, in_c, in_d, &d_b, &d_d);
  fd_value("value", v, argnums_subset(in_a, in_b, in_c, in_d));
  fd_check("d_b", -1, &in_b, d_b, loss);
  fd_check("d_d", -1, &in_d, d_d, loss);
  return fd_report("argnums_subset");
}
#endif
