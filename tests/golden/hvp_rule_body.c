/* hvp_rule_body: Hessian-vector products through a custom rule whose
 * body is in the file.  hvp is the vjp of f's jvp; the jvp calls
 * softplus_dot_jvp (the rule), which the second transform inlines and
 * differentiates like any helper, and softplus_dot (no body here) for the
 * value, whose derivative there is softplus_dot_vjp's.  An unselected
 * array u gives the rule NULL tangents, which it tests for.
 * hvp_rule_writer goes through the rules of tanh_axpy, which writes its
 * output y in place (a custom rule with a pointer output): the jvp rule's
 * body updates y and its tangent, and is differentiated again.  A rule
 * whose body is not in the inputs stays refused (bad/hvp_custom_rule).
 * FD f64/f32: h_ against central differences of the gradient along t, the
 * gradient against those of the function. */
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
  REAL g = ct_ret / (1 + exp(-z));
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

REAL hvp_rule_body(const REAL *w, const REAL *x, REAL s, const REAL *u, int n) {
  REAL a = softplus_dot(w, x, n, s * s);
  REAL c = softplus_dot(u, x, n, sin(s));
  return a * a * c + cos(s) * softplus_dot(x, w, n, 0.5);
}
#pragma vgrad hvp(hvp_rule_body) argnums(0, 1, 2)

void tanh_axpy(int n, REAL a, const REAL *x, REAL y[n]);

void tanh_axpy_vjp(int n, REAL a, const REAL *x, REAL *y, const REAL *ct_y, REAL *d_a, REAL *d_x, REAL *d_y) {
  (void)y;
  for (int i = 0; i < n; i++) {
    REAL t = tanh(x[i]);
    if (d_a)
      *d_a += ct_y[i] * t;
    if (d_x)
      d_x[i] += ct_y[i] * a * (1 - t * t);
    if (d_y)
      d_y[i] += ct_y[i];
  }
}

void tanh_axpy_jvp(int n, REAL a, const REAL *x, REAL *y, REAL t_a, const REAL *t_x, REAL *t_y) {
  for (int i = 0; i < n; i++) {
    REAL t = tanh(x[i]);
    t_y[i] += t_a * t + (t_x ? a * (1 - t * t) * t_x[i] : 0);
    y[i] += a * t;
  }
}

#pragma vgrad custom_vjp(tanh_axpy) with(tanh_axpy_vjp)
#pragma vgrad custom_jvp(tanh_axpy) with(tanh_axpy_jvp)

REAL hvp_rule_writer(const REAL *x, REAL a, int n) {
  REAL h[8];
  for (int i = 0; i < n && i < 8; i++)
    h[i] = x[i] * a;
  tanh_axpy(n, a, x, h);
  REAL s = 0;
  for (int i = 0; i < n && i < 8; i++)
    s += h[i] * h[i] * x[i];
  return s;
}
#pragma vgrad hvp(hvp_rule_writer) argnums(0, 1)

#ifdef VG_DRIVER
#include "hvp_rule_body.vg.h"
#include "fdcheck.h"

REAL softplus_dot(const REAL *w, const REAL *x, int n, REAL b) {
  REAL z = b;
  for (int i = 0; i < n; i++)
    z += w[i] * x[i];
  return log1p(exp(z));
}

void tanh_axpy(int n, REAL a, const REAL *x, REAL y[n]) {
  for (int i = 0; i < n; i++)
    y[i] += a * tanh(x[i]);
}

enum { N = 3 };
static const REAL u[N] = {0.3, -0.8, 0.45};
static REAL in_w[N] = {0.6, -0.25, 0.9}, in_x[N] = {-0.4, 0.7, 0.35}, in_s = 0.8;
static const REAL t_w[N] = {0.5, -1.0, 0.2}, t_x[N] = {0.9, 0.3, -0.6}, t_s = -0.7;

static REAL loss(void) { return hvp_rule_body(in_w, in_x, in_s, u, N); }
static REAL loss_writer(void) { return hvp_rule_writer(in_x, in_s, N); }

static int which, entry; /* the gradient entry grad_along follows: 0 w, 1 x, 2 s */
static double grad_along(REAL eps, int index) {
  (void)index;
  REAL w[N], x[N], zero[N] = {0}, d_w[N] = {0}, d_x[N] = {0}, d_s = 0, h_w[N] = {0}, h_x[N] = {0}, h_s = 0;
  for (int i = 0; i < N; i++) {
    w[i] = in_w[i] + eps * t_w[i];
    x[i] = in_x[i] + eps * t_x[i];
  }
  hvp_rule_body_hvp(w, x, in_s + eps * t_s, u, N, zero, zero, 0, d_w, d_x, &d_s, h_w, h_x, &h_s);
  return which == 0 ? d_w[entry] : which == 1 ? d_x[entry] : d_s;
}

static double grad_along_writer(REAL eps, int index) {
  (void)index;
  REAL x[N], zero[N] = {0}, d_x[N] = {0}, d_a = 0, h_x[N] = {0}, h_a = 0;
  for (int i = 0; i < N; i++)
    x[i] = in_x[i] + eps * t_x[i];
  hvp_rule_writer_hvp(x, in_s + eps * t_s, N, zero, 0, d_x, &d_a, h_x, &h_a);
  return which == 1 ? d_x[entry] : d_a;
}

int main(void) {
  REAL d_w[N] = {0}, d_x[N] = {0}, d_s = 0, h_w[N] = {0}, h_x[N] = {0}, h_s = 0;
  REAL v = hvp_rule_body_hvp(in_w, in_x, in_s, u, N, t_w, t_x, t_s, d_w, d_x, &d_s, h_w, h_x, &h_s);
  fd_value("hvp_rule_body", v, loss());
  fd_check_array("d_w", in_w, d_w, N, loss);
  fd_check_array("d_x", in_x, d_x, N, loss);
  fd_check("d_s", -1, &in_s, d_s, loss);
  for (entry = 0; entry < N; entry++) {
    which = 0;
    fd_check_tangent("h_w", entry, h_w[entry], grad_along);
    which = 1;
    fd_check_tangent("h_x", entry, h_x[entry], grad_along);
  }
  which = 2;
  fd_check_tangent("h_s", -1, h_s, grad_along);
  REAL wd_x[N] = {0}, wd_a = 0, wh_x[N] = {0}, wh_a = 0;
  REAL vw = hvp_rule_writer_hvp(in_x, in_s, N, t_x, t_s, wd_x, &wd_a, wh_x, &wh_a);
  fd_value("hvp_rule_writer", vw, loss_writer());
  fd_check_array("d_x (writer)", in_x, wd_x, N, loss_writer);
  fd_check("d_a (writer)", -1, &in_s, wd_a, loss_writer);
  which = 1;
  for (entry = 0; entry < N; entry++)
    fd_check_tangent("h_x (writer)", entry, wh_x[entry], grad_along_writer);
  which = 2;
  fd_check_tangent("h_a (writer)", -1, wh_a, grad_along_writer);
  return fd_report("hvp_rule_body");
}
#endif
