/* omp/row_pointers: rows reached through pointers the loop sets, as a GPT-2
 * training program writes its softmax and attention (`const REAL *x_bt =
 * x + b * T * C + t * C`): a softmax per (b, t) row, a causal mix whose
 * row t reads the rows t2 <= t of its own batch, and a sliding window
 * whose rows overlap (window b starts at x + b).  The iterations of the
 * first two reach rows of their own, checked before each reverse loop
 * (their sums need no atomic); the windows' do not, so that reverse loop
 * runs on one thread.  FD f64/f32, 1/2/4 threads (omp_check.h). */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

#define C 4

REAL row_pointers(const REAL *x, const REAL *w, int B, int T) {
  REAL probs[3 * 5 * C];
  REAL mix[3 * 5];
  REAL win[3 * 5];
#pragma omp parallel for collapse(2)
  for (int b = 0; b < B; b++)
    for (int t = 0; t < T; t++) {
      const REAL *x_bt = x + b * T * C + t * C;
      REAL *p_bt = probs + b * T * C + t * C;
      REAL m = -10000.0;
      for (int i = 0; i < C; i++)
        if (x_bt[i] > m)
          m = x_bt[i];
      REAL s = 0;
      for (int i = 0; i < C; i++) {
        p_bt[i] = exp(x_bt[i] - m);
        s += p_bt[i];
      }
      for (int i = 0; i < C; i++)
        p_bt[i] /= s;
    }
#pragma omp parallel for
  for (int b = 0; b < B; b++)
    for (int t = 0; t < T; t++) {
      REAL v = 0;
      for (int t2 = 0; t2 <= t; t2++) {
        const REAL *p_t2 = probs + b * T * C + t2 * C;
        for (int i = 0; i < C; i++)
          v += w[i] * p_t2[i];
      }
      mix[b * T + t] = v;
    }
#pragma omp parallel for
  for (int r = 0; r < B * T; r++) {
    const REAL *x_r = x + r;
    REAL v = 0;
    for (int i = 0; i < C; i++)
      v += w[C + i] * x_r[i];
    win[r] = tanh(v);
  }
  REAL loss = 0;
  for (int r = 0; r < B * T; r++)
    loss += mix[r] * mix[r] * (REAL)(1 + r % 3) + win[r];
  return loss;
}
#pragma vgrad value_and_grad(row_pointers) argnums(0, 1)

#ifdef VG_DRIVER
#include "row_pointers.vg.h"
#include "omp_check.h"

#define BB 3
#define TT 5
#define NX (BB * TT * C)
static REAL in_x[NX], in_w[2 * C];
static REAL loss(void) { return row_pointers(in_x, in_w, BB, TT); }

static void gradient(REAL *g) {
  for (int i = 0; i < NX + 2 * C; i++)
    g[i] = 0;
  row_pointers_value_and_grad(in_x, in_w, BB, TT, g, g + NX);
}

int main(void) {
  for (int i = 0; i < NX; i++)
    in_x[i] = (REAL)0.3 * (REAL)(i % 7) - (REAL)0.8;
  for (int i = 0; i < 2 * C; i++)
    in_w[i] = (REAL)0.25 * (REAL)(i % 5) - (REAL)0.4;
  REAL d_x[NX] = {0}, d_w[2 * C] = {0};
  omp_value("row_pointers", row_pointers_value_and_grad(in_x, in_w, BB, TT, d_x, d_w), loss());
  fd_check_array("d_x", in_x, d_x, NX, loss);
  fd_check_array("d_w", in_w, d_w, 2 * C, loss);
  omp_same_across_threads("gradient", NX + 2 * C, gradient);
  return fd_report("row_pointers");
}
#endif
