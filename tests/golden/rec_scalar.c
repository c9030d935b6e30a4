/* rec_scalar: recursions whose scalar parameters change from level to
 * level and whose results feed nonlinear math: a continued fraction
 * a + x / (a' + x / (...)), a' = 0.9 a + 0.5, 20 levels deep, and an ODE
 * step y' = -k y + sin(t) halved recursively (two half steps, each of two
 * half steps, ... down to Euler steps: 2^6 of them), the state y of one
 * half the start of the next; the right-hand side a helper inlined into
 * the recursive function. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

static REAL cfrac(REAL x, REAL a, int depth) {
  if (depth == 0)
    return a;
  return a + x / cfrac(x, 0.9 * a + 0.5, depth - 1);
}

static REAL rhs(REAL k, REAL t, REAL y) { return -k * y + sin(t); }

static REAL step(REAL k, REAL y, REAL t, REAL h, int depth) {
  if (depth == 0)
    return y + h * rhs(k, t, y);
  REAL half = h / 2;
  REAL mid = step(k, y, t, half, depth - 1);
  return step(k, mid, t + half, half, depth - 1);
}

REAL rec_scalar(REAL x, REAL a, REAL k, REAL y0) {
  REAL f = cfrac(x, a, 20);
  REAL y = step(k, y0, 0.0, 1.5, 6);
  return log(f) * x + y * y;
}
#pragma vgrad value_and_grad(rec_scalar) argnums(0, 1, 2, 3)

#ifdef VG_DRIVER
#include "rec_scalar.vg.h"
#include "fdcheck.h"

static REAL in_x, in_a, in_k, in_y0;
static REAL loss(void) { return rec_scalar(in_x, in_a, in_k, in_y0); }

/* Tolerances: fdcheck.h's (double: 1e-6 absolute + 1e-5 relative; float:
 * 2e-3 + 2e-2). */
int main(void) {
  static const REAL points[][4] = {{0.7, 1.2, 0.8, 1.0}, {1.4, 0.6, 1.5, -0.5}};
  for (int p = 0; p < 2; p++) {
    in_x = points[p][0];
    in_a = points[p][1];
    in_k = points[p][2];
    in_y0 = points[p][3];
    REAL d_x = 0, d_a = 0, d_k = 0, d_y0 = 0;
    REAL v = rec_scalar_value_and_grad(in_x, in_a, in_k, in_y0, &d_x, &d_a, &d_k, &d_y0);
    fd_value("value", v, loss());
    fd_check("d_x", p, &in_x, d_x, loss);
    fd_check("d_a", p, &in_a, d_a, loss);
    fd_check("d_k", p, &in_k, d_k, loss);
    fd_check("d_y0", p, &in_y0, d_y0, loss);
  }
  return fd_report("rec_scalar");
}
#endif
