/* sum_parts: reverse loops that sum into one target run four iterations a
 * round into partial sums when they are long (8 or more): into memory
 * through an inlined pointer (the triangular product's d_v[col]), into a
 * scalar with -= (d_a), and not when the target shares its array with
 * what the loop reads (mix called with one array twice).  The driver
 * runs every length from 0 to 13, so both the short loops and each tail
 * of the long ones are checked. */
#ifndef REAL
#define REAL double
#endif

/* out = v + L v, L strictly lower triangular, packed column by column. */
static void tri(int d, const REAL *l, const REAL *v, REAL *out) {
  for (int i = 0; i < d; i++)
    out[i] = v[i];
  const REAL *p = l;
  for (int col = 0; col < d; col++)
    for (int row = col + 1; row < d; row++)
      out[row] += *p++ * v[col];
}

static void mix(int n, const REAL *v, REAL *out, const REAL *w) {
  for (int i = 0; i < n; i++)
    out[i] += v[0] * w[i];
}

REAL sum_parts(const REAL *l, const REAL *x, REAL a, int n) {
  REAL q[16], y[16];
  tri(n, l, x, q);
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s -= a * q[i] * q[i];
  for (int i = 0; i < n; i++)
    y[i] = x[i];
  mix(n, y, y, x);
  for (int i = 0; i < n; i++)
    s += y[i] * y[i];
  return s;
}
#pragma vgrad value_and_grad(sum_parts) argnums(0, 1, 2)

#ifdef VG_DRIVER
#include "sum_parts.vg.h"
#include "fdcheck.h"

static REAL in_l[16 * 15 / 2], in_x[16], in_a;
static int in_n;
static REAL loss(void) { return sum_parts(in_l, in_x, in_a, in_n); }

int main(void) {
  for (in_n = 0; in_n <= 13; in_n++) {
    int nl = in_n * (in_n - 1) / 2;
    for (int i = 0; i < nl; i++)
      in_l[i] = 0.3 * ((i * 7) % 11) / 11.0 - 0.12;
    for (int i = 0; i < in_n; i++)
      in_x[i] = 0.9 - 0.17 * i + 0.05 * (i % 3);
    in_a = 0.4 + 0.01 * in_n;
    REAL d_l[16 * 15 / 2] = {0}, d_x[16] = {0}, d_a = 0;
    REAL v = sum_parts_value_and_grad(in_l, in_x, in_a, in_n, d_l, d_x, &d_a);
    fd_value("value", v, loss());
    fd_check_array("d_l", in_l, d_l, nl, loss);
    fd_check_array("d_x", in_x, d_x, in_n, loss);
    fd_check("d_a", in_n, &in_a, d_a, loss);
  }
  return fd_report("sum_parts");
}
#endif
