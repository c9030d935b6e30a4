/* hvp_pointer_arith: hvp of a loss that reads a local array through
 * pointer arithmetic on the array itself (`*(w + 0 + i)`, `*(1 + w + i)`,
 * `(w + 1)[i]`).  The tangent of `w + k` is `t_w + k`; it was typed as
 * the array instead of a pointer, so the second transform took no
 * derivative through it, and the gradient hvp returns lost every path
 * through w (random program seed 488 of the ptr_tables stream: d_W came
 * out 0 where it was 0.0022).  The driver checks the value, every d_
 * entry against central differences of f and every h_ entry against
 * central differences of the gradient along the direction, double and
 * float, with tests/fdcheck.h's tolerances. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL arith(const REAL *x, REAL a, int n) {
  REAL w[8] = {0};
  for (int i = 0; i < n; i++)
    w[i] = cbrt(1.5 + erf(0.4 * x[i])) * a;
  REAL acc = 0;
  for (int i = 0; i < n; i++)
    acc += sin(*(w + 0 + i));
  for (int i = 0; i + 1 < n; i++)
    acc += *(1 + w + i) * (w + 1)[i] * x[i];
  return acc;
}
#pragma vgrad hvp(arith) argnames(x, a)

#ifdef VG_DRIVER
#include "fdcheck.h"
#include "hvp_pointer_arith.vg.h"

enum { N = 5 };
static REAL in_x[N] = {0.5, -0.9, 1.3, 0.4, -0.2}, in_a = 0.8, dir_x[N] = {0.3, -1.1, 0.6, 0.25, 0.7}, dir_a = -0.7;

static REAL arith_loss(void) { return arith(in_x, in_a, N); }

/* gradient entry `index` (N: d_a) at the inputs moved by eps along the direction */
static double grad_along(REAL eps, int index) {
  REAL x[N], d[N] = {0}, h[N] = {0}, d_a = 0, h_a = 0;
  for (int i = 0; i < N; i++)
    x[i] = in_x[i] + eps * dir_x[i];
  arith_hvp(x, in_a + eps * dir_a, N, dir_x, dir_a, d, &d_a, h, &h_a);
  return index < N ? d[index] : d_a;
}

int main(void) {
  REAL d[N] = {0}, h[N] = {0}, d_a = 0, h_a = 0;
  fd_value("arith_hvp", arith_hvp(in_x, in_a, N, dir_x, dir_a, d, &d_a, h, &h_a), arith_loss());
  fd_check_array("arith_hvp d_x", in_x, d, N, arith_loss);
  fd_check("arith_hvp d_a", 0, &in_a, d_a, arith_loss);
  for (int i = 0; i < N; i++)
    fd_check_tangent("arith_hvp h_x", i, h[i], grad_along);
  fd_check_tangent("arith_hvp h_a", N, h_a, grad_along);
  return fd_report("hvp_pointer_arith");
}
#endif
