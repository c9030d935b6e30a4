/* names_global: file-scope variables read by the loss keep their meaning
 * in the generated function, whose own names never hide them: the global
 * `result` (the generated function's return value is `result` otherwise),
 * `d_result` and `d_s` (the adjoints of the result and of the local s),
 * `d_x` (the gradient output of x), and `scale`, read by an inlined helper
 * inside a function whose parameter is also named `scale`.  Before, the
 * generated locals hid them: value and gradient came out 0. */
#ifndef REAL
#define REAL double
#endif

REAL result = 2.0;
REAL d_result = 0.5;
REAL d_s = 1.5;
REAL d_x = -0.75;
REAL scale = 0.25;

static REAL scaled(REAL t) { return t * scale; }

REAL names_global(REAL x, REAL scale) {
  REAL s = x * x * result;
  REAL y = s * scaled(scale) + d_result * x + d_s * s + d_x * scale;
  {
    REAL d_result = 3 * x; /* hides the global only from here on */
    y += d_result * s;
  }
  return y;
}
#pragma vgrad value_and_grad(names_global) argnums(0, 1)

#ifdef VG_DRIVER
#include "names_global.vg.h"
#include "fdcheck.h"

static REAL in_x = 0.7, in_scale = -1.3;
static REAL loss(void) { return names_global(in_x, in_scale); }

int main(void) {
  REAL g_x = 0, g_scale = 0;
  REAL v = names_global_value_and_grad(in_x, in_scale, &g_x, &g_scale);
  fd_value("value", v, names_global(in_x, in_scale));
  fd_check("d_x", -1, &in_x, g_x, loss);
  fd_check("d_scale", -1, &in_scale, g_scale, loss);
  return fd_report("names_global");
}
#endif
