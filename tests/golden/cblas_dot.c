// link: -lopenblas
/* cblas_dot: with <cblas.h> included, calls of cblas_ddot (cblas_sdot
 * for float) use vgradcc's built-in rules (runtime/vgrad_cblas.h): the
 * forward sweep calls OpenBLAS, the reverse sweep the rule, with strides
 * 1, 2 and -1 (BLAS reads a vector with a negative increment from its
 * end), a dot product of a vector with itself, and a local array the
 * function overwrites after passing it (saved, so the rule sees what the
 * call saw).  The driver links Debian's libopenblas.  FD f64/f32,
 * gradient and tangent. */
#include <cblas.h>
#include <math.h>
#ifndef REAL
#define REAL double
#define DOT cblas_ddot
#else
#define DOT cblas_sdot
#endif

REAL cblas_dot(const REAL *x, const REAL *y, REAL s) {
  REAL v[4];
  for (int i = 0; i < 4; i++)
    v[i] = s * x[i] + y[i];
  REAL a = DOT(4, x, 1, v, 1);
  v[1] = a * 0.5f;
  REAL b = DOT(2, v, 2, y, -1);
  REAL c = DOT(3, y, 1, y, 1);
  return a * b + sin(c) + s * DOT(2, &x[1], 2, v, -2);
}
#pragma vgrad value_and_grad(cblas_dot) argnums(all)
#pragma vgrad jvp(cblas_dot) argnums(all)

#ifdef VG_DRIVER
#include "cblas_dot.vg.h"
#include "fdcheck.h"

enum { N = 4 };
static REAL in_x[N] = {0.5, -0.8, 0.3, 0.9}, in_y[N] = {-0.2, 0.6, 0.75, -0.4}, in_s = 0.7;
static const REAL dir_x[N] = {0.3, -0.5, 0.8, 0.1}, dir_y[N] = {-0.6, 0.2, 0.4, 0.9}, dir_s = 0.5;

static REAL loss(void) { return cblas_dot(in_x, in_y, in_s); }

static double along(REAL eps, int index) {
  (void)index;
  REAL x[N], y[N];
  for (int i = 0; i < N; i++) {
    x[i] = in_x[i] + eps * dir_x[i];
    y[i] = in_y[i] + eps * dir_y[i];
  }
  return cblas_dot(x, y, in_s + eps * dir_s);
}

int main(void) {
  REAL d_x[N] = {0}, d_y[N] = {0}, d_s = 0;
  REAL v = cblas_dot_value_and_grad(in_x, in_y, in_s, d_x, d_y, &d_s);
  fd_value("cblas_dot", v, loss());
  fd_check_array("d_x", in_x, d_x, N, loss);
  fd_check_array("d_y", in_y, d_y, N, loss);
  fd_check("d_s", -1, &in_s, d_s, loss);
  REAL t_ret = -99;
  REAL vj = cblas_dot_jvp(in_x, in_y, in_s, dir_x, dir_y, dir_s, &t_ret);
  fd_value("cblas_dot (jvp)", vj, loss());
  fd_check_tangent("t_ret", -1, t_ret, along);
  return fd_report("cblas_dot");
}
#endif
