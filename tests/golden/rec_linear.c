/* rec_linear: linear recursions of depth 50, each level one call, kept as
 * calls (a recursive function cannot be inlined): a sum of squares over an
 * array, sum(x, n) = x[n-1]^2 + sum(x, n-1), and Horner's rule written
 * recursively, the point t a scalar and the coefficients an array; called
 * once, and in a loop on a local array the loop overwrites.  Each becomes a
 * forward and a reverse function sharing the caller's tape. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

static REAL sumsq(const REAL *x, int n) {
  if (n == 0)
    return 0;
  return x[n - 1] * x[n - 1] + sumsq(x, n - 1);
}

/* c[k] + t * (c[k + 1] + t * (... + t * c[n - 1])) */
static REAL horner(const REAL *c, int k, int n, REAL t) {
  if (k == n - 1)
    return c[k];
  return c[k] + t * horner(c, k + 1, n, t);
}

REAL rec_linear(const REAL *x, const REAL *c, REAL t, int n) {
  REAL s = sumsq(x, n) / n;
  REAL scaled[64];
  for (int k = 0; k < 3; k++) { /* calls in a loop, on an array the loop writes again */
    for (int i = 0; i < n; i++)
      scaled[i] = x[i] * (t + k);
    s += sumsq(scaled, n - 10 * k) / (10 * n) + horner(c, k, n, t * s) / 50;
  }
  return s + sin(horner(c, 0, n, t));
}
#pragma vgrad value_and_grad(rec_linear) argnums(0, 1, 2)

#ifdef VG_DRIVER
#include "rec_linear.vg.h"
#include "fdcheck.h"

#define N 50
static REAL in_x[N], in_c[N], in_t;
static REAL loss(void) { return rec_linear(in_x, in_c, in_t, N); }

/* Tolerances: fdcheck.h's (double: 1e-6 absolute + 1e-5 relative; float:
 * 2e-3 + 2e-2), the depth adding no more than a loop of 50 terms. */
int main(void) {
  for (int i = 0; i < N; i++) {
    in_x[i] = (REAL)(0.8 * sin(0.7 * i + 0.3));
    in_c[i] = (REAL)(0.5 * cos(0.4 * i) + 0.1);
  }
  static const REAL points[] = {0.6, -0.45};
  for (int p = 0; p < 2; p++) {
    in_t = points[p];
    REAL d_x[N] = {0}, d_c[N] = {0}, d_t = 0;
    REAL v = rec_linear_value_and_grad(in_x, in_c, in_t, N, d_x, d_c, &d_t);
    fd_value("value", v, loss());
    fd_check_array("d_x", in_x, d_x, N, loss);
    fd_check_array("d_c", in_c, d_c, N, loss);
    fd_check("d_t", p, &in_t, d_t, loss);
  }
  return fd_report("rec_linear");
}
#endif
