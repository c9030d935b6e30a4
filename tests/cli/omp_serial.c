/* cli/omp-serial: `#pragma omp` loops in differentiated functions and in
 * a helper they call run serially in the gradient, with one warning for
 * the file, at the first of them, counting the loops (not dropped without
 * a word); with -fopenmp they run in parallel, without a warning.
 * The driver, built with -fopenmp, runs the original in parallel and
 * checks value and gradient by finite differences.  FD f64. */
#ifndef REAL
#define REAL double
#endif

static REAL dot(const REAL *a, const REAL *b, int n) {
  REAL s = 0;
  #pragma omp parallel for reduction(+: s)
  for (int i = 0; i < n; i++)
    s += a[i] * b[i];
  return s;
}

REAL layer(const REAL *x, const REAL *w, int n) {
  REAL s = 0;
#pragma omp parallel for collapse(2) \
    reduction(+: s) schedule(static)
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      s += w[i * n + j] * x[j] * x[i];
  return s + dot(x, w, n);
}
#pragma vgrad value_and_grad(layer) argnums(0, 1)

REAL norm2(const REAL *x, int n) { return dot(x, x, n); }
#pragma vgrad value_and_grad(norm2) argnums(0)

#ifdef VG_DRIVER
#include "omp_serial.vg.h"
#include "fdcheck.h"

#define N 6
static REAL in_x[N], in_w[N * N];
static REAL loss(void) { return layer(in_x, in_w, N); }
static REAL loss_norm2(void) { return norm2(in_x, N); }

int main(void) {
  for (int i = 0; i < N; i++)
    in_x[i] = (REAL)0.1 * (REAL)(i % 4) - (REAL)0.15;
  for (int i = 0; i < N * N; i++)
    in_w[i] = (REAL)0.05 * (REAL)(i % 7) - (REAL)0.1;
  REAL d_x[N] = {0}, d_w[N * N] = {0};
  fd_value("layer", layer_value_and_grad(in_x, in_w, N, d_x, d_w), loss());
  fd_check_array("d_x", in_x, d_x, N, loss);
  fd_check_array("d_w", in_w, d_w, N * N, loss);
  REAL d_x2[N] = {0};
  fd_value("norm2", norm2_value_and_grad(in_x, N, d_x2), loss_norm2());
  fd_check_array("d_x (norm2)", in_x, d_x2, N, loss_norm2);
  return fd_report("omp_serial");
}
#endif
