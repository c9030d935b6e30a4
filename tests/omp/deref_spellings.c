/* omp/deref_spellings: parallel loops reading shared weights and their
 * own row of x spelled as C code spells them: *(w + k), *(k + w), *w,
 * *(x + i * K + k), and a row pointer xr = x + i * K read as xr[k] and
 * *(xr + k).  The reverse sums into d_w go to a buffer per thread and
 * those into d_x to each iteration's own row (checked before the loop),
 * whichever spelling reached them: no atomic is left.  (A loop reaching x
 * both through x and through a row pointer into it keeps atomics.)
 * FD f64/f32, 1/2/4 threads (omp_check.h). */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

#define K 4

REAL deref_spellings(const REAL *x, const REAL *w, int n) {
  REAL out[16], out2[16];
#pragma omp parallel for
  for (int i = 0; i < n; i++) {
    REAL a = *w;
    for (int k = 0; k < K; k++)
      a = a + *(w + k) * *(x + i * K + k);
    out[i] = tanh(a);
  }
#pragma omp parallel for
  for (int i = 0; i < n; i++) {
    const REAL *xr = x + i * K;
    REAL b = 0;
    for (int k = 0; k < K; k++)
      b += *(k + w) * xr[k] * *(xr + k);
    out2[i] = tanh(b);
  }
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += out[i] * (REAL)(1 + i % 3) + out2[i];
  return s;
}
#pragma vgrad value_and_grad(deref_spellings) argnums(0, 1)

#ifdef VG_DRIVER
#include "deref_spellings.vg.h"
#include "omp_check.h"

#define N 11
static REAL in_x[N * K], in_w[K];
static REAL loss(void) { return deref_spellings(in_x, in_w, N); }

static void gradient(REAL *g) {
  for (int i = 0; i < N * K + K; i++)
    g[i] = 0;
  deref_spellings_value_and_grad(in_x, in_w, N, g, g + N * K);
}

int main(void) {
  for (int i = 0; i < N * K; i++)
    in_x[i] = (REAL)0.15 * (REAL)(i % 7) - (REAL)0.45;
  for (int i = 0; i < K; i++)
    in_w[i] = (REAL)0.2 * (REAL)(i % 3) - (REAL)0.1;
  REAL d_x[N * K] = {0}, d_w[K] = {0};
  omp_value("deref_spellings", deref_spellings_value_and_grad(in_x, in_w, N, d_x, d_w), loss());
  fd_check_array("d_x", in_x, d_x, N * K, loss);
  fd_check_array("d_w", in_w, d_w, K, loss);
  omp_same_across_threads("gradient", N * K + K, gradient);
  return fd_report("deref_spellings");
}
#endif
