/* math_exp: sinh cosh tanh exp exp2 expm1. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL math_exp(REAL x, REAL y) {
  REAL a = sinh(x) + cosh(y) * tanh(x - y);
  REAL b = exp(x * y) - exp2(y) + expm1(x / 3);
  return a * b + exp(-x * x);
}
#pragma vgrad value_and_grad(math_exp) argnums(0, 1)

#ifdef VG_DRIVER
#include "math_exp.vg.h"
#include "fdcheck.h"

static REAL in_x = 0.8, in_y = -0.45;
static REAL loss(void) { return math_exp(in_x, in_y); }

int main(void) {
  REAL d_x = 0, d_y = 0;
  REAL v = math_exp_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("value", v, math_exp(in_x, in_y));
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);
  return fd_report("math_exp");
}
#endif
