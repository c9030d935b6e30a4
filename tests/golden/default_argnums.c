/* default_argnums: no argnums and no argnames means argnums(0). */
#ifndef REAL
#define REAL double
#endif

REAL default_argnums(REAL x, REAL y) {
  return x * x * y + y / x;
}
#pragma vgrad value_and_grad(default_argnums)

#ifdef VG_DRIVER
#include "default_argnums.vg.h"
#include "fdcheck.h"

static REAL in_x = 1.25, in_y = -0.75;
static REAL loss(void) { return default_argnums(in_x, in_y); }

int main(void) {
  REAL d_x = 0;
  REAL v = default_argnums_value_and_grad(in_x, in_y, &d_x);
  fd_value("value", v, default_argnums(in_x, in_y));
  fd_check("d_x", -1, &in_x, d_x, loss);
  return fd_report("default_argnums");
}
#endif
