/* pointer_locals: pointer variables and pointer arithmetic: a row pointer
 * const REAL *row = W + j * n read as row[i], &x[i * d], *p, p++ and *p++
 * in loops, and compound assignments into elements, y[i] += a * x[i]. */
#ifndef REAL
#define REAL double
#endif

REAL pointer_locals(const REAL *W, const REAL *x, REAL a, int m, int n) {
  REAL y[3] = {0, 0, 0};
  for (int j = 0; j < m; j++) {
    const REAL *row = W + j * n;
    for (int i = 0; i < n; i++)
      y[j] += row[i] * x[i];
  }
  /* x as m points of dimension d = 2: the point j starts at &x[j * d] */
  int d = 2;
  for (int j = 0; j < m; j++) {
    const REAL *pt = &x[j * d];
    y[j] += a * *pt * pt[1];
  }
  for (int i = 0; i < m; i++)
    y[i] += a * x[i];
  REAL s = 0;
  const REAL *p = y;
  for (int k = 0; k < m; k++) {
    s += *p * *p;
    p++;
  }
  const REAL *q = W;
  for (int k = 0; k < n; k++)
    s += a * *q++;
  return s;
}
#pragma vgrad value_and_grad(pointer_locals) argnums(0, 1, 2)

#ifdef VG_DRIVER
#include "pointer_locals.vg.h"
#include "fdcheck.h"

/* m = 3 rows of n = 6 */
static REAL in_W[18] = {0.1,  -0.2, 0.3,  0.4,  -0.5, 0.6,  0.7, -0.8, 0.9,
                        -1.0, 0.15, 0.25, -0.35, 0.45, 0.55, -0.65, 0.75, 0.85};
static REAL in_x[6] = {0.5, -1.5, 1.25, 0.75, -0.25, 1.0}, in_a = 0.9;
static REAL loss(void) { return pointer_locals(in_W, in_x, in_a, 3, 6); }

int main(void) {
  REAL d_W[18] = {0}, d_x[6] = {0}, d_a = 0;
  REAL v = pointer_locals_value_and_grad(in_W, in_x, in_a, 3, 6, d_W, d_x, &d_a);
  fd_value("value", v, loss());
  fd_check_array("d_W", in_W, d_W, 18, loss);
  fd_check_array("d_x", in_x, d_x, 6, loss);
  fd_check("d_a", -1, &in_a, d_a, loss);
  return fd_report("pointer_locals");
}
#endif
