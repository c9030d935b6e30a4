/* piecewise_calls: fabs, fmin and fmax of calls whose values the adjoint
 * code keeps in variables (exp of erf, sin and cos, nested): the
 * derivative still flows through the kept call into its operands.  It was
 * dropped when the operand kept a call inside another (fabs(exp(0.3 *
 * erf(x))): d_x 0), found by the random program generator (seed 35,
 * reduced: `lossy` below).  FD f64/f32. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

/* the random program's reduced input */
REAL lossy(REAL x, int n) {
  REAL tt2 = 0;
  int i1 = 0;
  while (tt2 < 1.0 && i1 < n) {
    tt2 += (REAL)0.2 + (REAL)0.1 * x;
    i1++;
  }
  REAL t3 = fabs((REAL)exp((REAL)0.3 * erf(tt2)));
  REAL t4 = erf(tt2);
  return tanh(t3) + tanh(t4);
}
#pragma vgrad value_and_grad(lossy) argnums(0)

REAL calls(REAL x, REAL y) {
  REAL a = fabs(exp((REAL)0.3 * erf(x)));
  REAL b = fmax(exp(sin(x) * y), cos(y * y));
  REAL c = fmin(log((REAL)1 + exp(x * y)), sqrt(tanh(y) + (REAL)2));
  REAL d = fabs(sin(cos(x) * y)) * fmax(x, exp(-y * erf(x)));
  return a + b * c + d;
}
#pragma vgrad value_and_grad(calls) argnums(0, 1)

/* in a loop: the kept values come from the tape */
REAL looped(const REAL *x, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += fabs(exp((REAL)0.3 * erf(x[i]))) + fmin(exp(x[i] * s), sin(x[i] + (REAL)1) * (REAL)2);
  return s;
}
#pragma vgrad value_and_grad(looped) argnums(0)

#ifdef VG_DRIVER
#include "piecewise_calls.vg.h"
#include "fdcheck.h"

static REAL in_x, in_y, in_v[4] = {0.3, -0.45, 0.8, -0.2};
static int in_n;
static REAL loss_lossy(void) { return lossy(in_x, in_n); }
static REAL loss_calls(void) { return calls(in_x, in_y); }
static REAL loss_looped(void) { return looped(in_v, 4); }

int main(void) {
  static const REAL points[][2] = {{0.6, 0.8}, {-0.7, 0.35}, {1.3, -0.6}};
  for (int k = 0; k < 3; k++) {
    in_x = points[k][0];
    in_y = points[k][1];
    in_n = 2 + 2 * k;
    REAL d_x = 0, d_y = 0;
    fd_value("lossy", lossy_value_and_grad(in_x, in_n, &d_x), loss_lossy());
    fd_check("lossy d_x", k, &in_x, d_x, loss_lossy);
    d_x = 0;
    fd_value("calls", calls_value_and_grad(in_x, in_y, &d_x, &d_y), loss_calls());
    fd_check("calls d_x", k, &in_x, d_x, loss_calls);
    fd_check("calls d_y", k, &in_y, d_y, loss_calls);
  }
  REAL d_v[4] = {0};
  fd_value("looped", looped_value_and_grad(in_v, 4, d_v), loss_looped());
  fd_check_array("looped d_x", in_v, d_v, 4, loss_looped);
  return fd_report("piecewise_calls");
}
#endif
