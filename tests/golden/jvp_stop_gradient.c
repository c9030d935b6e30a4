/* jvp_stop_gradient: vg_stop_gradient and a nondiff(g) function in forward
 * mode (design 1.6: both work in every transform).  Their values are
 * constants: no tangent flows through them.  rate() has no body here (the
 * driver defines it: a step function); vg_stop_gradient(a * x[i]) is a
 * value whose tangent is zero.
 *
 * The driver checks the tangent against the central difference along the
 * direction of a twin written by hand with the stopped values frozen at
 * the point (what a stop means), float64 and float32, with
 * tests/fdcheck.h's steps and tolerances (|g - n| <= 1e-6 + 1e-5
 * max(|g|,|n|) for double, 2e-3 + 2e-2 max(...) for float); the value
 * against the original. */
#include <math.h>
#include <vgrad.h>
#ifndef REAL
#define REAL double
#endif

REAL rate(REAL x);
#pragma vgrad nondiff(rate)

REAL jvp_stop_gradient(REAL a, const REAL *x, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += vg_stop_gradient(a * x[i]) * x[i] + sin(a) * rate(x[i]);
  return s + vg_stop_gradient(s) * a;
}
#pragma vgrad jvp(jvp_stop_gradient) argnums(0, 1)

#ifdef VG_DRIVER
#include "jvp_stop_gradient.vg.h"
#include "fdcheck.h"

REAL rate(REAL x) { return (REAL)(floor(4 * x) / 4 + 1); }

#define N 4
static REAL in_a = 0.6, in_x[N] = {0.3, -0.7, 0.55, 0.9};
static REAL dir_a = 0.8, dir_x[N] = {-0.5, 0.9, 0.25, -0.3};
static REAL frozen_ax[N], frozen_s;

/* the original with the stopped values held at the point */
static double along(REAL eps, int index) {
  (void)index;
  REAL a = in_a + eps * dir_a, s = 0;
  for (int i = 0; i < N; i++) {
    REAL x = in_x[i] + eps * dir_x[i];
    s += frozen_ax[i] * x + sin(a) * rate(x);
  }
  return s + frozen_s * a;
}

int main(void) {
  REAL s = 0;
  for (int i = 0; i < N; i++) {
    frozen_ax[i] = in_a * in_x[i];
    s += frozen_ax[i] * in_x[i] + sin(in_a) * rate(in_x[i]);
  }
  frozen_s = s;
  REAL t_ret = -99;
  REAL v = jvp_stop_gradient_jvp(in_a, in_x, N, dir_a, dir_x, &t_ret);
  fd_value("value", v, jvp_stop_gradient(in_a, in_x, N));
  fd_check_tangent("t_ret", -1, t_ret, along);
  return fd_report("jvp_stop_gradient");
}
#endif
