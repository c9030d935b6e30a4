/* omp/reduction: a weighted sum of squares under `#pragma omp parallel for
 * reduction(+: s) schedule(dynamic, 3) private(t) firstprivate(scale)`:
 * the forward loop keeps the reduction; in the reverse loop every
 * iteration reads d_s (the reduction's adjoint, the same for all) and
 * adds to d_x[i] of its own and to d_scale, which all share (atomic).
 * FD f64/f32, 1/2/4 threads (omp_check.h). */
#ifndef REAL
#define REAL double
#endif

REAL weighted_squares(const REAL *x, REAL scale, int n) {
  REAL s = 0, t;
#pragma omp parallel for reduction(+: s) schedule(dynamic, 3) private(t) firstprivate(scale)
  for (int i = 0; i < n; i++) {
    t = scale * x[i] - (REAL)0.5;
    s += t * x[i];
  }
  return s / (REAL)n;
}
#pragma vgrad value_and_grad(weighted_squares) argnums(0, 1)

#ifdef VG_DRIVER
#include "reduction.vg.h"
#include "omp_check.h"

#define N 37
static REAL in_x[N], in_scale[1];
static REAL loss(void) { return weighted_squares(in_x, in_scale[0], N); }

static void gradient(REAL *g) {
  for (int i = 0; i <= N; i++)
    g[i] = 0;
  weighted_squares_value_and_grad(in_x, in_scale[0], N, g, g + N);
}

int main(void) {
  for (int i = 0; i < N; i++)
    in_x[i] = (REAL)0.1 * (REAL)(i % 7) - (REAL)0.3;
  in_scale[0] = (REAL)1.3;
  REAL d_x[N] = {0}, d_scale = 0;
  omp_value("weighted_squares", weighted_squares_value_and_grad(in_x, in_scale[0], N, d_x, &d_scale), loss());
  fd_check_array("d_x", in_x, d_x, N, loss);
  fd_check("d_scale", 0, in_scale, d_scale, loss);
  omp_same_across_threads("gradient", N + 1, gradient);
  return fd_report("reduction");
}
#endif
