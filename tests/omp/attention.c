/* omp/attention: attention-like nested loops.  Scores q_t . k_u / sqrt(D)
 * for every (t, u) under `#pragma omp parallel for collapse(2)` into a
 * local array the iterations share, then per query row t, under `parallel
 * for reduction(+: loss)`, a softmax over u (its maximum, its sum of
 * exponentials) weighting v into o_t, with loss the sum of o_t^2.  In the
 * gradient both loops run in parallel, each thread with its own tape
 * (the row's maximum, sums and exponentials are overwritten row after
 * row).  FD f64/f32, 1/2/4 threads (omp_check.h). */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

#define MAX_T 8

REAL attention(const REAL *q, const REAL *k, const REAL *v, int T, int D) {
  REAL att[MAX_T * MAX_T];
#pragma omp parallel for collapse(2)
  for (int t = 0; t < T; t++)
    for (int u = 0; u < T; u++) {
      REAL dot = 0;
      for (int d = 0; d < D; d++)
        dot += q[t * D + d] * k[u * D + d];
      att[t * T + u] = dot / sqrt((REAL)D);
    }
  REAL loss = 0;
#pragma omp parallel for reduction(+: loss)
  for (int t = 0; t < T; t++) {
    REAL m = att[t * T];
    for (int u = 1; u < T; u++)
      if (att[t * T + u] > m)
        m = att[t * T + u];
    REAL z = 0;
    for (int u = 0; u < T; u++)
      z += exp(att[t * T + u] - m);
    REAL o = 0;
    for (int u = 0; u < T; u++)
      o += exp(att[t * T + u] - m) / z * v[u];
    loss += o * o;
  }
  return loss;
}
#pragma vgrad value_and_grad(attention) argnums(0, 1, 2)

#ifdef VG_DRIVER
#include "attention.vg.h"
#include "omp_check.h"

#define T 7
#define D 3
static REAL in_q[T * D], in_k[T * D], in_v[T];
static REAL loss(void) { return attention(in_q, in_k, in_v, T, D); }

static void gradient(REAL *g) {
  for (int i = 0; i < 2 * T * D + T; i++)
    g[i] = 0;
  attention_value_and_grad(in_q, in_k, in_v, T, D, g, g + T * D, g + 2 * T * D);
}

int main(void) {
  for (int i = 0; i < T * D; i++) {
    in_q[i] = (REAL)0.3 * (REAL)(i % 5) - (REAL)0.6;
    in_k[i] = (REAL)0.25 * (REAL)(i % 7) - (REAL)0.7;
  }
  for (int i = 0; i < T; i++)
    in_v[i] = (REAL)0.2 * (REAL)i - (REAL)0.5;
  REAL d_q[T * D] = {0}, d_k[T * D] = {0}, d_v[T] = {0};
  omp_value("attention", attention_value_and_grad(in_q, in_k, in_v, T, D, d_q, d_k, d_v), loss());
  fd_check_array("d_q", in_q, d_q, T * D, loss);
  fd_check_array("d_k", in_k, d_k, T * D, loss);
  fd_check_array("d_v", in_v, d_v, T, loss);
  omp_same_across_threads("gradient", 2 * T * D + T, gradient);
  return fd_report("attention");
}
#endif
