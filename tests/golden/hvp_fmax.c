/* hvp_fmax: hvp through fmax and fmin, whose tangents the forward
 * transform writes with `x >= y || isnan(y) ? t_x : t_y` (random seed 26:
 * the second transform took that isnan, a call it did not know, for one
 * with effects in the right operand of ||, and refused it).  Test points
 * away from the ties.  The driver checks the value, every d_ entry against
 * central differences of f and every h_ entry against central differences
 * of the gradient along t, float64 and float32, with tests/fdcheck.h's
 * steps and tolerances. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL clipped(const REAL *x, REAL lo, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++) {
    REAL u = fmax(erf(x[i]), lo * x[(i + 1) % n]);
    REAL v = fmin(u * u, (REAL)0.5 + x[i]);
    s += v * exp((REAL)0.2 * u);
  }
  return s;
}
#pragma vgrad hvp(clipped) argnums(0, 1)

#ifdef VG_DRIVER
#include "fdcheck.h"
#include "hvp_fmax.vg.h"

enum { N = 5 };
static REAL in_x[N] = {0.5, -0.9, 1.3, 0.4, -0.2}, in_lo = 0.8, dir_x[N] = {0.3, -1.1, 0.6, 0.25, 0.9}, dir_lo = -0.7;

static REAL loss(void) { return clipped(in_x, in_lo, N); }

/* the gradient at the inputs moved by eps along the direction, from the hvp */
static double grad_along(REAL eps, int index) {
  REAL x[N], d[N] = {0}, h[N] = {0}, d_lo = 0, h_lo = 0;
  for (int i = 0; i < N; i++)
    x[i] = in_x[i] + eps * dir_x[i];
  clipped_hvp(x, in_lo + eps * dir_lo, N, dir_x, dir_lo, d, &d_lo, h, &h_lo);
  return index < N ? d[index] : d_lo;
}

int main(void) {
  REAL d[N] = {0}, h[N] = {0}, d_lo = 0, h_lo = 0;
  fd_value("clipped_hvp", clipped_hvp(in_x, in_lo, N, dir_x, dir_lo, d, &d_lo, h, &h_lo), loss());
  fd_check_array("clipped_hvp d_x", in_x, d, N, loss);
  fd_check("clipped_hvp d_lo", -1, &in_lo, d_lo, loss);
  for (int i = 0; i < N; i++)
    fd_check_tangent("clipped_hvp h_x", i, h[i], grad_along);
  fd_check_tangent("clipped_hvp h_lo", N, h_lo, grad_along);
  return fd_report("hvp_fmax");
}
#endif
