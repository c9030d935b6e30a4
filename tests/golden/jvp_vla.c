/* jvp_vla: variable-length arrays in forward mode, one made again on each
 * pass of a loop and one at the top level.  vgradcc makes them calloc'ed
 * blocks (each with its tangent block); a block made again frees the last
 * one first, as the array's scope ended, and the last ones are freed at
 * the end (the ASan pass of random seed 2 found them leaked).
 *
 * The driver checks the tangent against the central difference along the
 * direction, float64 and float32, with tests/fdcheck.h's steps and
 * tolerances (|g - n| <= 1e-6 + 1e-5 max(|g|,|n|) for double, 2e-3 +
 * 2e-2 max(...) for float); the test's ASan pass checks for leaks. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

REAL jvp_vla(const REAL *x, REAL a, int n) {
  REAL s = 0;
  for (int k = 0; k < 3; k++) {
    REAL w[n];
    for (int i = 0; i < n; i++)
      w[i] = sin(a * x[i] + k);
    s += w[n - 1] * w[0];
  }
  REAL u[n];
  for (int i = 0; i < n; i++)
    u[i] = a * x[i];
  return s + u[0] * u[n - 1];
}
#pragma vgrad jvp(jvp_vla) argnums(0, 1)

#ifdef VG_DRIVER
#include "jvp_vla.vg.h"
#include "fdcheck.h"

#define N 4
static REAL in_x[N] = {0.3, -0.7, 0.55, 0.9}, in_a = 0.6;
static REAL dir_x[N] = {-0.5, 0.9, 0.25, -0.3}, dir_a = 0.8;

static double along(REAL eps, int index) {
  (void)index;
  REAL x[N];
  for (int i = 0; i < N; i++)
    x[i] = in_x[i] + eps * dir_x[i];
  return jvp_vla(x, in_a + eps * dir_a, N);
}

int main(void) {
  REAL t_ret = -99;
  REAL v = jvp_vla_jvp(in_x, in_a, N, dir_x, dir_a, &t_ret);
  fd_value("value", v, jvp_vla(in_x, in_a, N));
  fd_check_tangent("t_ret", -1, t_ret, along);
  return fd_report("jvp_vla");
}
#endif
