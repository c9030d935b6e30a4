/* incr_elements: an element incremented is not saved, however the
 * increment is spelled.  out is written several times a step and read by
 * the reverse sweep only at the end (out[j] * out[j]), so its reads are
 * taped there (ad/taped_reads.c), 8 REALs in all, and nothing is saved in
 * the loop; the driver checks the tape's bytes exactly.  Were an
 * increment's old element counted as a read the reverse sweep needs, out
 * would be saved on every write instead (a REAL a write, a step).
 * reordered: the same element, its address written another way (ir/
 * query.c's same_place): out[2 * k] = out[k * 2] + e, out[j + 4] =
 * out[4 + j] - e, *(out + k) = out[k] + e (before same_place: 3 REALs a
 * step saved).  through_pointer: out[j] = out[j] + e, p[j] = e + p[j], *p
 * = *p + e and p[k + 4] = p[k + 4] - e, p pointing into out. */
#ifndef REAL
#define REAL double
#endif

REAL reordered(const REAL *w, const REAL *x, int n) {
  REAL out[8];
  for (int j = 0; j < 8; j++)
    out[j] = w[j % 3];
  for (int i = 0; i < n; i++) {
    int j = i % 4, k = (i + 1) % 4;
    out[2 * k] = out[k * 2] + w[0] * x[i];
    out[j + 4] = out[4 + j] - w[1] * x[i];
    *(out + k) = out[k] + w[2] * x[i] * x[i];
  }
  REAL s = 0;
  for (int j = 0; j < 8; j++)
    s += out[j] * out[j];
  return s;
}
#pragma vgrad value_and_grad(reordered) argnums(0, 1)

REAL through_pointer(const REAL *w, const REAL *x, int n) {
  REAL out[8];
  REAL *p = out;
  for (int j = 0; j < 8; j++)
    out[j] = w[j % 3];
  for (int i = 0; i < n; i++) {
    int j = i % 4, k = (i + 1) % 4;
    out[j] = out[j] + w[0] * w[1];
    p[j] = w[2] * x[i] + p[j];
    *p = *p + w[1] * x[i];
    p[k + 4] = p[k + 4] - x[i];
  }
  REAL s = 0;
  for (int j = 0; j < 8; j++)
    s += out[j] * out[j];
  return s;
}
#pragma vgrad value_and_grad(through_pointer) argnums(0, 1)

#ifdef VG_DRIVER
#include <vgrad.h>
#include "incr_elements.vg.h"
#include "fdcheck.h"
#define N 40
static REAL in_w[3] = {0.7, -0.4, 0.3};
static REAL in_x[N];
static int in_n;
static REAL (*in_f)(const REAL *, const REAL *, int);
static REAL loss(void) { return in_f(in_w, in_x, in_n); }
static void check(REAL (*f)(const REAL *, const REAL *, int),
                  REAL (*grad)(const REAL *, const REAL *, int, REAL *, REAL *)) {
  in_f = f;
  const int lengths[] = {0, 1, 5, N};
  for (int t = 0; t < 4; t++) {
    in_n = lengths[t];
    REAL d_w[3] = {0, 0, 0}, d_x[N] = {0};
    vg_memory_stats stats;
    vg_memory_stats_reset();
    REAL v = grad(in_w, in_x, in_n, d_w, d_x);
    vg_memory_stats_get(&stats);
    fd_value("tape bytes pushed", (double)stats.tape_bytes_pushed, 8.0 * sizeof(REAL));
    fd_value("value", v, loss());
    fd_check_array("d_w", in_w, d_w, 3, loss);
    fd_check_array("d_x", in_x, d_x, N, loss);
  }
}
int main(void) {
  for (int i = 0; i < N; i++)
    in_x[i] = (REAL)(0.5 * sin(0.7 * i + 0.2));
  check(reordered, reordered_value_and_grad);
  check(through_pointer, through_pointer_value_and_grad);
  return fd_report("incr_elements");
}
#endif
