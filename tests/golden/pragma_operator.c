/* pragma_operator: the _Pragma form, written directly and emitted by a
 * macro. */
#ifndef REAL
#define REAL double
#endif

#define VG_PRAGMA(text) _Pragma(#text)
#define DIFFERENTIATE(f) VG_PRAGMA(vgrad grad(f) argnums(1))

REAL pragma_operator(REAL x, REAL y) {
  return x * y * y - 3 * x;
}
_Pragma("vgrad value_and_grad(pragma_operator) argnums(0, 1)")
DIFFERENTIATE(pragma_operator)

#ifdef VG_DRIVER
#include "pragma_operator.vg.h"
#include "fdcheck.h"

static REAL in_x = 1.5, in_y = -0.5;
static REAL loss(void) { return pragma_operator(in_x, in_y); }

int main(void) {
  REAL d_x = 0, d_y = 0, g_y = 0;
  REAL v = pragma_operator_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("value", v, pragma_operator(in_x, in_y));
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);
  pragma_operator_grad(in_x, in_y, &g_y);
  fd_same("grad's d_y", -1, g_y, d_y);
  return fd_report("pragma_operator");
}
#endif
