/* grad_only: the grad transform returns nothing and only accumulates the
 * gradient. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL grad_only(REAL x, REAL y) {
  REAL r = sqrt(x * x + y * y);
  return r * exp(-r) + x / 4;
}
#pragma vgrad grad(grad_only) argnums(0, 1)

#ifdef VG_DRIVER
#include "grad_only.vg.h"
#include "fdcheck.h"

static REAL in_x = 0.6, in_y = -1.4;
static REAL loss(void) { return grad_only(in_x, in_y); }

int main(void) {
  REAL d_x = 0, d_y = 0;
  grad_only_grad(in_x, in_y, &d_x, &d_y);
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);

  REAL first_x = d_x, first_y = d_y;
  grad_only_grad(in_x, in_y, &d_x, &d_y);
  fd_same("d_x after two calls", -1, d_x, 2 * first_x);
  fd_same("d_y after two calls", -1, d_y, 2 * first_y);
  return fd_report("grad_only");
}
#endif
