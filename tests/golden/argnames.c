/* argnames: parameters selected by name (listed out of order); the
 * gradient outputs follow parameter order (d_w, then d_b). */
#ifndef REAL
#define REAL double
#endif

REAL argnames(const REAL *w, REAL b, const REAL *x, REAL scale) {
  REAL p = w[0] * x[0] + w[1] * x[1] + b;
  return scale * p * p;
}
#pragma vgrad value_and_grad(argnames) argnames(b, w)

#ifdef VG_DRIVER
#include "argnames.vg.h"
#include "fdcheck.h"

static REAL in_w[2] = {0.4, -0.9}, in_b = 0.3, in_x[2] = {1.5, 0.5}, in_scale = 0.5;
static REAL loss(void) { return argnames(in_w, in_b, in_x, in_scale); }

int main(void) {
  REAL d_w[2] = {0}, d_b = 0;
  REAL v = argnames_value_and_grad(in_w, in_b, in_x, in_scale, d_w, &d_b);
  fd_value("value", v, argnames(in_w, in_b, in_x, in_scale));
  fd_check_array("d_w", in_w, d_w, 2, loss);
  fd_check("d_b", -1, &in_b, d_b, loss);
  return fd_report("argnames");
}
#endif
