/* mem_copies: memcpy and memset of floating buffers, as users spell the
 * size: COUNT * sizeof(T) (through the REAL macro, and as the keyword
 * double), sizeof(T) * COUNT, COUNT * sizeof *p, COUNT * sizeof a[0] and
 * sizeof of a fixed-size local array; to &buf[t * n] and from x + off; a
 * recurrent cell that keeps its previous state with memcpy at every step
 * (the LSTM's `memcpy(prev, state, ...)`); a helper that copies, inlined;
 * a heap buffer zeroed with memset.  Each call becomes an element loop
 * whose adjoint the sweeps know (ad/memfns.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef REAL
#define REAL double
#endif

enum { N = 3, STEPS = 4 };

static void copy_row(REAL *dst, const REAL *src, int n) { memcpy(dst, src, (size_t)n * sizeof *src); }

REAL mem_copies(const REAL *x, const REAL *w, REAL a, int n, int steps) {
  REAL state[N], prev[N], hist[STEPS * N], tail[N], last[N];
  REAL bias[N] = {0.1, -0.2, 0.3};
  REAL start[N];
  memcpy(start, bias, sizeof bias);
  memset(state, 0, n * sizeof state[0]);
  for (int t = 0; t < steps; t++) {
    memcpy(prev, state, n * sizeof(REAL));
    for (int i = 0; i < n; i++)
      state[i] = tanh(w[i] * prev[i] + a * prev[(i + 1) % n] + x[t * n + i] + start[i]);
    memcpy(&hist[t * n], state, sizeof(REAL) * n);
  }
  memcpy(tail, x + n, n * sizeof *x);
  copy_row(last, &hist[(steps - 1) * n], n);
  /* the same in double, whatever REAL is */
  double wide[N], wide_copy[N];
  for (int i = 0; i < n; i++)
    wide[i] = (double)tail[i] * last[i];
  memcpy(wide_copy, wide, sizeof(double) * n);
  REAL *g = malloc(n * sizeof *g);
  memset(g, 0, n * sizeof *g);
  for (int t = 0; t < steps; t++)
    for (int i = 0; i < n; i++)
      g[i] += hist[t * n + i] * w[i];
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += g[i] * g[i] + (REAL)wide_copy[i];
  free(g);
  return s;
}
#pragma vgrad value_and_grad(mem_copies) argnums(0, 1, 2)

#ifdef VG_DRIVER
#include "mem_copies.vg.h"
#include "fdcheck.h"

static REAL in_x[STEPS * N] = {0.5, -0.3, 0.8, 0.1, 0.4, -0.6, 0.2, 0.7, -0.1, -0.4, 0.3, 0.6};
static REAL in_w[N] = {0.9, -0.7, 0.4}, in_a = 0.35;
static REAL loss(void) { return mem_copies(in_x, in_w, in_a, N, STEPS); }

int main(void) {
  REAL d_x[STEPS * N] = {0}, d_w[N] = {0}, d_a = 0;
  REAL v = mem_copies_value_and_grad(in_x, in_w, in_a, N, STEPS, d_x, d_w, &d_a);
  fd_value("value", v, loss());
  fd_check_array("d_x", in_x, d_x, STEPS * N, loss);
  fd_check_array("d_w", in_w, d_w, N, loss);
  fd_check("d_a", -1, &in_a, d_a, loss);
  return fd_report("mem_copies");
}
#endif
