/* rec_loops: a recursive function with loops: its k children called in a
 * loop (each call's result saved across iterations), a loop inside each
 * level, a scalar parameter it overwrites before returning; an int-valued
 * recursion (no gradient, a pair all the same) giving a factor; a call
 * whose value is dropped; and a grad pragma beside value_and_grad. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

static REAL ktree(const REAL *x, REAL s, int lo, int n, int k) {
  if (n <= 1)
    return sin(x[lo] * s);
  REAL acc = 0;
  int w = n / k > 0 ? n / k : 1;
  for (int c = 0; c < k && c * w < n; c++) {
    int len = c == k - 1 ? n - c * w : w;
    acc += tanh(ktree(x, s * 0.9, lo + c * w, len, k)) * (1 + 0.1 * c);
  }
  for (int i = 0; i < 3; i++)
    acc = acc * 0.8 + 0.1 * sin(acc + s);
  s = s * 2;
  return acc + s * x[lo];
}

static int depth_of(int n) {
  if (n <= 1)
    return 0;
  return 1 + depth_of(n / 2);
}

REAL rec_loops(const REAL *x, REAL s, int n) {
  ktree(x, s, 0, 2, 2);
  REAL r = ktree(x, s, 0, n, 3);
  return r * r + depth_of(n) * s;
}
#pragma vgrad value_and_grad(rec_loops) argnums(0, 1)
#pragma vgrad grad(rec_loops) argnums(1) name(rec_loops_ds)

#ifdef VG_DRIVER
#include "rec_loops.vg.h"
#include "fdcheck.h"

#define N 20
static REAL in_x[N], in_s;
static REAL loss(void) { return rec_loops(in_x, in_s, N); }

/* Tolerances: fdcheck.h's (double: 1e-6 absolute + 1e-5 relative; float:
 * 2e-3 + 2e-2); grad's d_s equal to value_and_grad's. */
int main(void) {
  for (int i = 0; i < N; i++)
    in_x[i] = (REAL)sin(1.3 * i + 0.5);
  static const REAL points[] = {0.7, -0.4};
  for (int p = 0; p < 2; p++) {
    in_s = points[p];
    REAL d_x[N] = {0}, d_s = 0, d_s_only = 0;
    REAL v = rec_loops_value_and_grad(in_x, in_s, N, d_x, &d_s);
    fd_value("value", v, loss());
    fd_check_array("d_x", in_x, d_x, N, loss);
    fd_check("d_s", p, &in_s, d_s, loss);
    rec_loops_ds(in_x, in_s, N, &d_s_only);
    fd_exact("grad d_s", d_s_only, d_s);
  }
  return fd_report("rec_loops");
}
#endif
