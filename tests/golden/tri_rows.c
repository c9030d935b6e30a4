/* tri_rows: GMM's triangular product Q (x - mu), written three ways, tapes
 * only the d values of Q (x - mu) that its squared norm reads, a point:
 * the product's output is written d + d(d-1)/2 times and read d times, so
 * its operands are taped where they are read (ad/taped_reads.c) instead of
 * its elements saved on every write.
 *   rows_sum: each row's dot product in a local sum, then out[i] = out[i]
 *     + s (before, the norm's out[i] * out[i] counted as two reads and out
 *     was saved on its 2d - 1 writes instead);
 *   rows_incr: out[i] = out[i] + L[..] * v[j] for j <= i - 1;
 *   cols_idx: ADBench's column order, out[j] = out[j] + L[idx] * v[i]
 *     with idx++ in the loop header.
 * The driver checks the tape's bytes exactly: n d REALs, and for cols_idx
 * an int a point, idx's value before idx = D (the reverse sweep walks idx
 * back down by subtraction from the value the point before left).
 * Counters declared before their loops, as in ADBench's `int i, j,
 * Lparamsidx;`, still cost an int saved before each loop and the centred
 * values saved: not tested here. */
#ifndef REAL
#define REAL double
#endif

#define D 5

REAL rows_sum(const REAL *q, const REAL *x, const REAL *mu, int n) {
  REAL v[D], out[D];
  REAL total = 0;
  for (int p = 0; p < n; p++) {
    for (int i = 0; i < D; i++)
      v[i] = x[p * D + i] - mu[i];
    for (int i = 0; i < D; i++)
      out[i] = q[i] * v[i];
    for (int i = 1; i < D; i++) {
      REAL s = 0;
      for (int j = 0; j < i; j++)
        s = s + q[D + i * (i - 1) / 2 + j] * v[j];
      out[i] = out[i] + s;
    }
    REAL norm = 0;
    for (int i = 0; i < D; i++)
      norm += out[i] * out[i];
    total += norm;
  }
  return total;
}
#pragma vgrad value_and_grad(rows_sum) argnums(0, 2)

REAL rows_incr(const REAL *q, const REAL *x, const REAL *mu, int n) {
  REAL v[D], out[D];
  REAL total = 0;
  for (int p = 0; p < n; p++) {
    for (int i = 0; i < D; i++)
      v[i] = x[p * D + i] - mu[i];
    for (int i = 0; i < D; i++)
      out[i] = q[i] * v[i];
    for (int i = 1; i < D; i++)
      for (int j = 0; j <= i - 1; j++)
        out[i] = out[i] + q[D + i * (i - 1) / 2 + j] * v[j];
    REAL norm = 0;
    for (int i = 0; i < D; i++)
      norm += out[i] * out[i];
    total += norm;
  }
  return total;
}
#pragma vgrad value_and_grad(rows_incr) argnums(0, 2)

REAL cols_idx(const REAL *q, const REAL *x, const REAL *mu, int n) {
  REAL v[D], out[D];
  REAL total = 0;
  for (int p = 0; p < n; p++) {
    for (int i = 0; i < D; i++)
      v[i] = x[p * D + i] - mu[i];
    for (int i = 0; i < D; i++)
      out[i] = q[i] * v[i];
    int idx = D;
    for (int i = 0; i < D; i++)
      for (int j = i + 1; j < D; j++, idx++)
        out[j] = out[j] + q[idx] * v[i];
    REAL norm = 0;
    for (int i = 0; i < D; i++)
      norm += out[i] * out[i];
    total += norm;
  }
  return total;
}
#pragma vgrad value_and_grad(cols_idx) argnums(0, 2)

#ifdef VG_DRIVER
#include <vgrad.h>
#include "tri_rows.vg.h"
#include "fdcheck.h"
#define NP 6
#define NQ (D * (D + 1) / 2)
static REAL in_q[NQ], in_x[NP * D], in_mu[D];
static int in_n;
static REAL (*in_f)(const REAL *, const REAL *, const REAL *, int);
static REAL loss(void) { return in_f(in_q, in_x, in_mu, in_n); }
static void check(REAL (*f)(const REAL *, const REAL *, const REAL *, int),
                  REAL (*grad)(const REAL *, const REAL *, const REAL *, int, REAL *, REAL *), int ints) {
  in_f = f;
  const int lengths[] = {0, 1, NP};
  for (int t = 0; t < 3; t++) {
    in_n = lengths[t];
    REAL d_q[NQ] = {0}, d_mu[D] = {0};
    vg_memory_stats stats;
    vg_memory_stats_reset();
    REAL v = grad(in_q, in_x, in_mu, in_n, d_q, d_mu);
    vg_memory_stats_get(&stats);
    fd_value("tape bytes pushed", (double)stats.tape_bytes_pushed, (double)in_n * (D * sizeof(REAL) + ints * sizeof(int)));
    fd_value("value", v, loss());
    fd_check_array("d_q", in_q, d_q, NQ, loss);
    fd_check_array("d_mu", in_mu, d_mu, D, loss);
  }
}
int main(void) {
  for (int i = 0; i < NQ; i++)
    in_q[i] = (REAL)(i < D ? 1.0 + 0.2 * i : 0.3 * sin(1.3 * i));
  for (int i = 0; i < NP * D; i++)
    in_x[i] = (REAL)(0.8 * cos(0.9 * i + 0.4));
  for (int i = 0; i < D; i++)
    in_mu[i] = (REAL)(0.1 * i - 0.2);
  check(rows_sum, rows_sum_value_and_grad, 0);
  check(rows_incr, rows_incr_value_and_grad, 0);
  check(cols_idx, cols_idx_value_and_grad, 1);
  return fd_report("tri_rows");
}
#endif
