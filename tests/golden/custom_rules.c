/* custom_rules: `#pragma vgrad custom_vjp(g) with(g_vjp)` and
 * `custom_jvp(g) with(g_jvp)` for softplus_dot, a library function with
 * no body in this file (the driver defines it, standing for another
 * library).  Its rules are written here with the signatures vjp and jvp
 * would generate for it: the original parameters, then the cotangent of
 * the return and a gradient for each floating parameter (`REAL *d_w`,
 * `REAL *d_x`, `REAL *d_b`, accumulated), or the tangents
 * (`const REAL *t_w`, ..., `REAL t_b`) and `REAL *t_ret`.  The function
 * calls it three times: on v, a copy of x, and again after the function
 * overwrote v[0], so the reverse sweep must give the first call's rule v
 * as that call saw it; with an unselected argument u (the rule gets NULL
 * for its gradient and tangent) and a pointer into v (&v[1]).
 * FD f64/f32, gradient and tangent. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

/* log(1 + exp(w . x + b)) */
REAL softplus_dot(const REAL *w, const REAL *x, int n, REAL b);

REAL softplus_dot_vjp(const REAL *w, const REAL *x, int n, REAL b, REAL ct_ret, REAL *d_w, REAL *d_x, REAL *d_b) {
  REAL z = b;
  for (int i = 0; i < n; i++)
    z += w[i] * x[i];
  REAL g = ct_ret / (1 + exp(-z)); /* the logistic function times the cotangent */
  for (int i = 0; i < n; i++) {
    if (d_w)
      d_w[i] += g * x[i];
    if (d_x)
      d_x[i] += g * w[i];
  }
  if (d_b)
    *d_b += g;
  return log1p(exp(z));
}

REAL softplus_dot_jvp(const REAL *w, const REAL *x, int n, REAL b, const REAL *t_w, const REAL *t_x, REAL t_b,
                      REAL *t_ret) {
  REAL z = b, t_z = t_b;
  for (int i = 0; i < n; i++) {
    z += w[i] * x[i];
    if (t_w)
      t_z += t_w[i] * x[i];
    if (t_x)
      t_z += w[i] * t_x[i];
  }
  *t_ret = t_z / (1 + exp(-z));
  return log1p(exp(z));
}

#pragma vgrad custom_vjp(softplus_dot) with(softplus_dot_vjp)
#pragma vgrad custom_jvp(softplus_dot) with(softplus_dot_jvp)

REAL custom_rules(const REAL *w, const REAL *x, REAL s, const REAL *u, int n) {
  REAL v[4];
  for (int i = 0; i < n && i < 4; i++)
    v[i] = x[i];
  REAL a = softplus_dot(w, v, n, s * s);
  v[0] = a * s;
  REAL c = softplus_dot(u, v, n, sin(s)) * a;
  REAL e = softplus_dot(&v[1], w, n - 1, 0.5);
  return a * c + e;
}
#pragma vgrad value_and_grad(custom_rules) argnums(0, 1, 2)
#pragma vgrad jvp(custom_rules) argnums(0, 1, 2)

#ifdef VG_DRIVER
#include "custom_rules.vg.h"
#include "fdcheck.h"

REAL softplus_dot(const REAL *w, const REAL *x, int n, REAL b) {
  REAL z = b;
  for (int i = 0; i < n; i++)
    z += w[i] * x[i];
  return log1p(exp(z));
}

enum { N = 3 };
static const REAL u[N] = {0.3, -0.8, 0.45};
static REAL in_w[N] = {0.6, -0.25, 0.9}, in_x[N] = {-0.4, 0.7, 0.35}, in_s = 0.8;
static const REAL dir_w[N] = {0.5, -1.0, 0.2}, dir_x[N] = {0.9, 0.3, -0.6}, dir_s = -0.7;

static REAL loss(void) { return custom_rules(in_w, in_x, in_s, u, N); }

static double along(REAL eps, int index) {
  (void)index;
  REAL w[N], x[N];
  for (int i = 0; i < N; i++) {
    w[i] = in_w[i] + eps * dir_w[i];
    x[i] = in_x[i] + eps * dir_x[i];
  }
  return custom_rules(w, x, in_s + eps * dir_s, u, N);
}

int main(void) {
  REAL d_w[N] = {0}, d_x[N] = {0}, d_s = 0;
  REAL v = custom_rules_value_and_grad(in_w, in_x, in_s, u, N, d_w, d_x, &d_s);
  fd_value("custom_rules", v, loss());
  fd_check_array("d_w", in_w, d_w, N, loss);
  fd_check_array("d_x", in_x, d_x, N, loss);
  fd_check("d_s", -1, &in_s, d_s, loss);
  REAL t_ret = -99;
  REAL vj = custom_rules_jvp(in_w, in_x, in_s, u, N, dir_w, dir_x, dir_s, &t_ret);
  fd_value("custom_rules (jvp)", vj, loss());
  fd_check_tangent("t_ret", -1, t_ret, along);
  return fd_report("custom_rules");
}
#endif
