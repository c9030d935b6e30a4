/* arith: + - * / on active values, mixed with integer and float constants.
 * The driver also checks that the gradient outputs are accumulated into
 * (a second call without zeroing doubles them). */
#ifndef REAL
#define REAL double
#endif

REAL arith(REAL x, REAL y) {
  REAL a = x * y + 3 * x - y / 2;
  REAL b = (x - y) / (x + y + 4.0);
  return a * b - 1.5f / y + x / 7 + 2 - x * x * x;
}
#pragma vgrad value_and_grad(arith) argnums(0, 1)

#ifdef VG_DRIVER
#include "arith.vg.h"
#include "fdcheck.h"

static REAL in_x = 1.3, in_y = -0.7;
static REAL loss(void) { return arith(in_x, in_y); }

int main(void) {
  REAL d_x = 0, d_y = 0;
  REAL v = arith_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("value", v, arith(in_x, in_y));
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);

  /* Accumulation: a second call without zeroing adds the same gradient. */
  REAL first_x = d_x, first_y = d_y;
  v = arith_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("value (second call)", v, arith(in_x, in_y));
  fd_same("d_x after two calls", -1, d_x, 2 * first_x);
  fd_same("d_y after two calls", -1, d_y, 2 * first_y);
  return fd_report("arith");
}
#endif
