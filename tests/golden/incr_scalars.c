/* incr_scalars: a scalar incremented is not saved, however the increment
 * is spelled (t = t + e, t = e + t, t = t - e, t = -e + t, t = (REAL)(t +
 * e): t += e or t -= e for the reverse sweep, whose adjoint reads no old
 * t), but an update whose increment reads the variable itself, y = y + y
 * * e, is no increment of a constant and its old value is taped: the
 * driver checks the tape's bytes exactly, one REAL a step (old y) and
 * nothing for the others. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL incr_scalars(const REAL *w, const REAL *x, int n) {
  REAL a = w[0], b = w[1], c = w[2], d = 0, e = 0, y = w[3];
  for (int i = 0; i < n; i++) {
    a = a + w[1] * x[i];
    b = w[2] * x[i] * x[i] + b;
    c = c - w[0] * x[i] * x[i];
    d = -w[3] * x[i] + d;
    e = (REAL)(e + w[0] * w[2]);
    y = y + y * w[4] * x[i];
  }
  return a * b + c * d + e * y;
}
#pragma vgrad value_and_grad(incr_scalars) argnums(0, 1)

#ifdef VG_DRIVER
#include <vgrad.h>
#include "incr_scalars.vg.h"
#include "fdcheck.h"
#define N 30
static REAL in_w[5] = {0.7, -0.4, 0.3, 0.2, 0.05};
static REAL in_x[N];
static int in_n;
static REAL loss(void) { return incr_scalars(in_w, in_x, in_n); }
int main(void) {
  for (int i = 0; i < N; i++)
    in_x[i] = (REAL)(0.5 * sin(0.7 * i + 0.2));
  const int lengths[] = {0, 1, 5, N};
  for (int t = 0; t < 4; t++) {
    in_n = lengths[t];
    REAL d_w[5] = {0}, d_x[N] = {0};
    vg_memory_stats stats;
    vg_memory_stats_reset();
    REAL v = incr_scalars_value_and_grad(in_w, in_x, in_n, d_w, d_x);
    vg_memory_stats_get(&stats);
    fd_value("tape bytes pushed", (double)stats.tape_bytes_pushed, (double)in_n * sizeof(REAL));
    fd_value("value", v, loss());
    fd_check_array("d_w", in_w, d_w, 5, loss);
    fd_check_array("d_x", in_x, d_x, N, loss);
  }
  return fd_report("incr_scalars");
}
#endif
