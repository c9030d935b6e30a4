/* pragma_before: the pragma stands before FUNC is declared at all. */
#pragma vgrad value_and_grad(pragma_before) argnums(0, 1)

#ifndef REAL
#define REAL double
#endif

REAL pragma_before(REAL x, REAL y) {
  return x / y + y / x;
}

#ifdef VG_DRIVER
#include "pragma_before.vg.h"
#include "fdcheck.h"

static REAL in_x = 0.8, in_y = 1.9;
static REAL loss(void) { return pragma_before(in_x, in_y); }

int main(void) {
  REAL d_x = 0, d_y = 0;
  REAL v = pragma_before_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("value", v, pragma_before(in_x, in_y));
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);
  return fd_report("pragma_before");
}
#endif
