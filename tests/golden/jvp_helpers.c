/* jvp_helpers: forward mode through calls of the file's helpers (inlined,
 * as the reverse mode does): nested calls f(g(x)), a helper with an early
 * return called in a loop, a helper of integers only for an index, and a
 * scalar parameter that is not selected but overwritten with a value that
 * depends on the selected ones. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

static REAL square(REAL v) { return v * v; }

static REAL soft_sign(REAL v) { return v / sqrt(1 + v * v); }

/* The identity below hi, slope 0.1 above it. */
static REAL clipped(REAL v, REAL hi) {
  if (v > hi)
    return hi + 0.1 * (v - hi);
  return v;
}

static int wrap(int i, int n) { return (i % n + n) % n; }

REAL jvp_helpers(const REAL *x, int n, REAL s, REAL scale) {
  REAL acc = square(soft_sign(s * x[0]));
  scale = scale * s + 1;
  for (int i = 0; i < n; i++)
    acc += clipped(x[i] * s, 0.5) * x[wrap(i - 1, n)];
  return scale * square(clipped(acc, 1.0)) + soft_sign(square(x[1]) - s);
}
#pragma vgrad jvp(jvp_helpers) argnames(x, s)

#ifdef VG_DRIVER
#include "jvp_helpers.vg.h"
#include "fdcheck.h"

static REAL in_x[4] = {0.9, -0.6, 1.4, 0.2}, in_s, in_scale = 0.7;
static REAL dir_x[4] = {0.3, 1.0, -0.8, 0.5}, dir_s = -0.6;

static double along(REAL eps, int index) {
  (void)index;
  REAL x[4];
  for (int i = 0; i < 4; i++)
    x[i] = in_x[i] + eps * dir_x[i];
  return jvp_helpers(x, 4, in_s + eps * dir_s, in_scale);
}

int main(void) {
  /* acc below and above clipped's limit 1 at the end. */
  static const REAL points[] = {0.4, -1.5};
  for (int p = 0; p < 2; p++) {
    in_s = points[p];
    REAL t_ret = -99;
    REAL v = jvp_helpers_jvp(in_x, 4, in_s, in_scale, dir_x, dir_s, &t_ret);
    fd_value("value", v, jvp_helpers(in_x, 4, in_s, in_scale));
    fd_check_tangent("t_ret", -1, t_ret, along);
  }
  return fd_report("jvp_helpers");
}
#endif
