/* omp/split_region: the split form, `#pragma omp parallel` over a region
 * holding only a loop under `#pragma omp for` (with braces and
 * `nowait`, and without braces), as OpenMP code often spells `parallel
 * for`: vgradcc folds the two into the loop's `parallel for` (the
 * clauses of both, nowait dropped), and the gradient runs it in parallel.
 * A region holding more than the loop stays refused under -fopenmp
 * (omp/bad/parallel_region).  FD f64/f32, 1/2/4 threads (omp_check.h). */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

REAL split_region(const REAL *x, const REAL *w, int n) {
  REAL s = 0;
#pragma omp parallel shared(x, w)
  {
#pragma omp for reduction(+: s) schedule(static) nowait
    for (int i = 0; i < n; i++)
      s += tanh(w[i % 4] * x[i]) * x[i];
  }
  REAL t = 0;
#pragma omp parallel
#pragma omp for reduction(+: t)
  for (int i = 0; i < n; i++)
    t += sin(x[i] * s);
  return s * t;
}
#pragma vgrad value_and_grad(split_region) argnums(0, 1)

#ifdef VG_DRIVER
#include "split_region.vg.h"
#include "omp_check.h"

#define N 29
static REAL in_x[N], in_w[4];
static REAL loss(void) { return split_region(in_x, in_w, N); }

static void gradient(REAL *g) {
  for (int i = 0; i < N + 4; i++)
    g[i] = 0;
  split_region_value_and_grad(in_x, in_w, N, g, g + N);
}

int main(void) {
  for (int i = 0; i < N; i++)
    in_x[i] = (REAL)0.05 * (REAL)(i % 9) - (REAL)0.2;
  for (int i = 0; i < 4; i++)
    in_w[i] = (REAL)0.7 - (REAL)0.3 * (REAL)i;
  REAL d_x[N] = {0}, d_w[4] = {0};
  omp_value("split_region", split_region_value_and_grad(in_x, in_w, N, d_x, d_w), loss());
  fd_check_array("d_x", in_x, d_x, N, loss);
  fd_check_array("d_w", in_w, d_w, 4, loss);
  omp_same_across_threads("gradient", N + 4, gradient);
  return fd_report("split_region");
}
#endif
