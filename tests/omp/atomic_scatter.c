/* omp/atomic_scatter: `#pragma omp atomic` updates in a parallel loop: a
 * scatter-add into a histogram of bins chosen by an index array (several
 * iterations add into one bin) and a shared sum, as OpenMP code writes
 * them (`#pragma omp atomic` before `hist[bin[i]] += ...`, `atomic update`
 * before `s = s + ...`).  The forward sweep keeps each atomic; the reverse
 * of an update only reads the bin's adjoint, and its sums into the shared
 * weights' adjoint at w[i % 3] are atomic too (an index that is not linear
 * in the counters); d_x[i] is each iteration's own, without atomic.  FD f64/f32, 1/2/4 threads
 * (omp_check.h). */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

REAL atomic_scatter(const REAL *x, const REAL *w, const int *bin, int n) {
  REAL hist[5] = {0, 0, 0, 0, 0};
  REAL s = 0;
#pragma omp parallel for
  for (int i = 0; i < n; i++) {
    REAL v = tanh(w[i % 3] * x[i]);
#pragma omp atomic
    hist[bin[i]] += v * x[i];
#pragma omp atomic update
    s = s + v;
  }
  REAL loss = s * s;
  for (int b = 0; b < 5; b++)
    loss += hist[b] * hist[b] * (REAL)(b + 1);
  return loss;
}
#pragma vgrad value_and_grad(atomic_scatter) argnums(0, 1)

#ifdef VG_DRIVER
#include "atomic_scatter.vg.h"
#include "omp_check.h"

#define N 31
static REAL in_x[N], in_w[3];
static int bins[N];
static REAL loss(void) { return atomic_scatter(in_x, in_w, bins, N); }

static void gradient(REAL *g) {
  for (int i = 0; i < N + 3; i++)
    g[i] = 0;
  atomic_scatter_value_and_grad(in_x, in_w, bins, N, g, g + N);
}

int main(void) {
  for (int i = 0; i < N; i++) {
    in_x[i] = (REAL)0.07 * (REAL)(i % 11) - (REAL)0.3;
    bins[i] = (i * 7) % 5;
  }
  for (int i = 0; i < 3; i++)
    in_w[i] = (REAL)0.9 - (REAL)0.4 * (REAL)i;
  REAL d_x[N] = {0}, d_w[3] = {0};
  omp_value("atomic_scatter", atomic_scatter_value_and_grad(in_x, in_w, bins, N, d_x, d_w), loss());
  fd_check_array("d_x", in_x, d_x, N, loss);
  fd_check_array("d_w", in_w, d_w, 3, loss);
  omp_same_across_threads("gradient", N + 3, gradient);
  return fd_report("atomic_scatter");
}
#endif
