/* rec_tree: divide and conquer over an array, two recursive calls a level:
 * a log-sum-exp over halves (the larger half's value taken out before the
 * exp) and a product tree of 1 + s * x[i], both over 37 elements (halves
 * of unequal size), the split point a local int each level keeps.  lse
 * is called on the differentiated x and on data w without a gradient: a
 * pair of functions for each (lse_vg_fwd, lse_vg_fwd_2). */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

static REAL lse(const REAL *x, int lo, int hi) {
  if (hi - lo == 1)
    return x[lo];
  int mid = lo + (hi - lo) / 2;
  REAL a = lse(x, lo, mid);
  REAL b = lse(x, mid, hi);
  REAL m = a > b ? a : b;
  return m + log(exp(a - m) + exp(b - m));
}

static REAL prod(const REAL *x, REAL s, int lo, int hi) {
  if (hi - lo == 1)
    return 1 + s * x[lo];
  int mid = (lo + hi) / 2;
  return prod(x, s, lo, mid) * prod(x, s, mid, hi);
}

REAL rec_tree(const REAL *x, REAL s, const REAL *w, int n) {
  REAL l = lse(x, 0, n);
  REAL p = prod(x, s, 0, n);
  return l * l + log(p) * lse(w, 0, n);
}
#pragma vgrad value_and_grad(rec_tree) argnums(0, 1)

#ifdef VG_DRIVER
#include "rec_tree.vg.h"
#include "fdcheck.h"

#define N 37
static REAL in_x[N], in_s, in_w[N];
static REAL loss(void) { return rec_tree(in_x, in_s, in_w, N); }

/* Tolerances: fdcheck.h's (double: 1e-6 absolute + 1e-5 relative; float:
 * 2e-3 + 2e-2). */
int main(void) {
  for (int i = 0; i < N; i++) {
    in_x[i] = (REAL)(1.3 * sin(1.1 * i + 0.2));
    in_w[i] = (REAL)(0.1 * cos(0.5 * i));
  }
  static const REAL points[] = {0.3, -0.2};
  for (int p = 0; p < 2; p++) {
    in_s = points[p];
    REAL d_x[N] = {0}, d_s = 0;
    REAL v = rec_tree_value_and_grad(in_x, in_s, in_w, N, d_x, &d_s);
    fd_value("value", v, loss());
    fd_check_array("d_x", in_x, d_x, N, loss);
    fd_check("d_s", p, &in_s, d_s, loss);
  }
  return fd_report("rec_tree");
}
#endif
