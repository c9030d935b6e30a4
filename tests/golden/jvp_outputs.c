/* jvp_outputs: forward mode of a function that returns nothing and writes
 * its results through pointers (outputs(y, norm)): y accumulated into
 * (y[i] += ..., so y's tangent starts at zero), a heap scratch buffer whose
 * tangent is allocated and freed beside it, an entry of y written with a
 * constant (its tangent written zero), and a one-element output. */
#include <math.h>
#include <stdlib.h>

#ifndef REAL
#define REAL double
#endif

void jvp_outputs(const REAL *x, REAL a, int n, REAL y[n], REAL *norm) {
  REAL *tmp = malloc((size_t)n * sizeof(REAL));
  for (int i = 0; i < n; i++)
    tmp[i] = a * x[i] * x[i];
  for (int i = 0; i + 1 < n; i++)
    y[i] += tmp[i] - sin(tmp[i + 1]);
  y[n - 1] = 2;
  norm[0] = 0;
  for (int i = 0; i < n; i++)
    norm[0] += y[i] * y[i];
  norm[0] = sqrt(norm[0]);
  free(tmp);
}
#pragma vgrad jvp(jvp_outputs) argnames(x, a) outputs(y, norm)

#ifdef VG_DRIVER
#include "jvp_outputs.vg.h"
#include "fdcheck.h"

enum { N = 4 };
static REAL in_x[N] = {0.5, -0.9, 1.3, 0.4}, in_a = 0.8, in_y[N] = {0.1, 0.2, -0.3, 0.4};
static REAL dir_x[N] = {1.0, -0.4, 0.2, 0.7}, dir_a = 0.5;

static double along(REAL eps, int index) {
  REAL x[N], y[N], norm;
  for (int i = 0; i < N; i++) {
    x[i] = in_x[i] + eps * dir_x[i];
    y[i] = in_y[i];
  }
  jvp_outputs(x, in_a + eps * dir_a, N, y, &norm);
  return index < N ? y[index] : norm;
}

int main(void) {
  REAL y[N], y_ref[N], t_y[N], norm, norm_ref, t_norm = -99;
  for (int i = 0; i < N; i++) {
    y[i] = y_ref[i] = in_y[i];
    t_y[i] = -99; /* written, every entry */
  }
  jvp_outputs_jvp(in_x, in_a, N, y, &norm, dir_x, dir_a, t_y, &t_norm);
  jvp_outputs(in_x, in_a, N, y_ref, &norm_ref);
  for (int i = 0; i < N; i++) {
    fd_same("y", i, y[i], y_ref[i]);
    fd_check_tangent("t_y", i, t_y[i], along);
  }
  fd_same("norm", -1, norm, norm_ref);
  fd_check_tangent("t_norm", N, t_norm, along);
  return fd_report("jvp_outputs");
}
#endif
