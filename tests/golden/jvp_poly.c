/* jvp_poly: forward mode (jvp) of a polynomial and trigonometric scalar
 * function of a scalar and an array: a loop, an if, compound assignments
 * that read their own target (y *= acc, y /= ...), math.h calls whose value
 * is also their derivative (exp, tanh), sin with cos beside it, and the
 * piecewise fabs and fmax.  Checked against the central difference of the
 * function along the tangent direction, at points on both sides of the
 * if and of fabs's kink. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL jvp_poly(REAL x, const REAL *w, int n, REAL s) {
  REAL acc = 0, y = x * x * x - 2 * x;
  for (int i = 0; i < n; i++) {
    acc += w[i] * sin(x * i) + exp(w[i] * s);
    if (acc > 3)
      acc = acc * 0.5;
  }
  y *= acc;
  y /= 1 + x * x;
  return y + tanh(acc) + fabs(x - 0.3) + fmax(acc, x) + pow(x * x + 1, w[0]);
}
#pragma vgrad jvp(jvp_poly) argnums(0, 1)

#ifdef VG_DRIVER
#include "jvp_poly.vg.h"
#include "fdcheck.h"

static REAL in_x, in_w[3] = {0.7, -0.4, 1.1}, in_s = 0.3;
static REAL dir_x = 0.8, dir_w[3] = {-0.5, 0.9, 0.25};

static double along(REAL eps, int index) {
  (void)index;
  REAL w[3];
  for (int i = 0; i < 3; i++)
    w[i] = in_w[i] + eps * dir_w[i];
  return jvp_poly(in_x + eps * dir_x, w, 3, in_s);
}

int main(void) {
  static const REAL points[] = {0.9, -0.6, 1.7};
  for (int p = 0; p < 3; p++) {
    in_x = points[p];
    REAL t_ret = -99;
    REAL v = jvp_poly_jvp(in_x, in_w, 3, in_s, dir_x, dir_w, &t_ret);
    fd_value("value", v, jvp_poly(in_x, in_w, 3, in_s));
    fd_check_tangent("t_ret", -1, t_ret, along);
  }
  return fd_report("jvp_poly");
}
#endif
