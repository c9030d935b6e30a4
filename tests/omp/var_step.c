/* omp/var_step: a parallel loop stepping by a const int, as llm.c's
 * matmul steps its tiles (`obt += LOOP_UNROLL`): each iteration writes its
 * own U outputs from shared read-only weights, so the gradient keeps
 * nothing on the tape and both sweeps are `parallel for` over the same
 * tiles; the reverse adds into the shared weights' adjoint (a buffer per
 * thread), and U, a const int, is its literal inside the parallel loops.
 * FD f64/f32, 1/2/4 threads (omp_check.h). */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

REAL tiled(const REAL *x, const REAL *w, int n, REAL out[n]) {
  const int U = 4;
#pragma omp parallel for
  for (int t = 0; t < n; t += U)
    for (int u = 0; u < U; u++)
      out[t + u] = tanh(w[u] * x[t + u] + w[U + u]);
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += out[i] * out[i] * (REAL)(1 + i % 3);
  return s;
}
#pragma vgrad value_and_grad(tiled) argnums(0, 1)

#ifdef VG_DRIVER
#include "var_step.vg.h"
#include "omp_check.h"

#define N 24
static REAL in_x[N], in_w[8], scratch[N];
static REAL loss(void) { return tiled(in_x, in_w, N, scratch); }

static void gradient(REAL *g) {
  for (int i = 0; i < N + 8; i++)
    g[i] = 0;
  REAL out[N];
  tiled_value_and_grad(in_x, in_w, N, out, g, g + N);
}

int main(void) {
  for (int i = 0; i < N; i++)
    in_x[i] = (REAL)0.1 * (REAL)(i % 5) - (REAL)0.2;
  for (int i = 0; i < 8; i++)
    in_w[i] = (REAL)0.3 - (REAL)0.07 * (REAL)i;
  REAL d_x[N] = {0}, d_w[8] = {0}, out[N];
  omp_value("tiled", tiled_value_and_grad(in_x, in_w, N, out, d_x, d_w), loss());
  fd_check_array("d_x", in_x, d_x, N, loss);
  fd_check_array("d_w", in_w, d_w, 8, loss);
  omp_same_across_threads("gradient", N + 8, gradient);
  return fd_report("var_step");
}
#endif
