/* hvp: `#pragma vgrad hvp(f)` and `hessian(f) argnames(x[n], ...)`,
 * second derivatives by reverse over forward.  f_hvp(p..., t_w..., d_w...,
 * h_w...) returns f, accumulates the gradient into d_ and the Hessian
 * times the direction t into h_; f_hessian(p..., hess) writes the dense
 * Hessian, columns (and rows) in the order argnames lists them.
 * Spellings: Rosenbrock's function with the sum written `s = s + e`; a
 * loss with an array and a scalar selected; a softmax cross-entropy through
 * a helper (log-sum-exp with a running maximum) over a local array, a row
 * pointer walking the weights, the Hessian's columns listed out of
 * parameter order.
 *
 * The driver checks every value against the original, every d_ entry
 * against central differences of f, every h_ entry against central
 * differences of the gradient along t (the gradient at the moved point from
 * the same generated function, itself checked at the base point), every
 * Hessian entry against central differences of the gradient, the
 * Hessian's symmetry, and that a second call accumulates; float64 and
 * float32, with tests/fdcheck.h's steps and tolerances (|g - n| <= 1e-6 +
 * 1e-5 max(|g|,|n|) for double, 2e-3 + 2e-2 max(...) for float). */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL rosen(const REAL *x, int n) {
  REAL s = 0;
  for (int i = 0; i + 1 < n; i++) {
    REAL a = x[i + 1] - x[i] * x[i];
    REAL b = 1 - x[i];
    s = s + 100 * a * a + b * b;
  }
  return s;
}
#pragma vgrad hvp(rosen)
#pragma vgrad hessian(rosen) argnames(x[n])

REAL mixed(const REAL *x, REAL a, int n) {
  REAL s = 0.0;
  for (int i = 0; i < n; i++) {
    REAL u = sin(x[i]) * a + x[(i + 1) % n] * x[i];
    s += u * u + exp((REAL)0.1 * x[i] * a);
  }
  return s;
}
#pragma vgrad hvp(mixed) argnums(0, 1)

static REAL log_sum_exp(const REAL *v, int n) {
  REAL m = v[0];
  for (int i = 1; i < n; i++)
    if (v[i] > m)
      m = v[i];
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += exp(v[i] - m);
  return m + log(s);
}

REAL softmax_loss(const REAL *w, const REAL *feat, int n, REAL scale) {
  REAL z[4];
  for (int k = 0; k < 4; k++) {
    const REAL *row = w + k * n;
    z[k] = 0;
    for (int j = 0; j < n; j++)
      z[k] += row[j] * feat[j] * scale;
  }
  return log_sum_exp(z, 4) - z[1];
}
#pragma vgrad hvp(softmax_loss) argnames(w, scale) name(softmax_hvp)
#pragma vgrad hessian(softmax_loss) argnames(scale, w[4 * n])

#ifdef VG_DRIVER
#include <string.h>

#include "fdcheck.h"
#include "hvp.vg.h"

enum { N = 4, W = 4 * N };
static REAL in_x[N] = {0.5, -0.9, 1.3, 0.4}, in_a = 0.8, dir_x[N] = {0.3, -1.1, 0.6, 0.25}, dir_a = -0.7;
static REAL in_w[W], dir_w[W], in_feat[N] = {0.9, -0.4, 0.3, 1.2}, in_scale = 0.6, dir_scale = 0.45;
static int entry; /* the gradient entry a check reads */

static REAL rosen_loss(void) { return rosen(in_x, N); }
static REAL mixed_loss(void) { return mixed(in_x, in_a, N); }
static REAL softmax_value(void) { return softmax_loss(in_w, in_feat, N, in_scale); }

/* the gradients at the inputs moved by eps along the direction, from the hvp */
static double rosen_grad_along(REAL eps, int index) {
  REAL x[N], t[N] = {0}, d[N] = {0}, h[N] = {0};
  for (int i = 0; i < N; i++)
    x[i] = in_x[i] + eps * dir_x[i];
  rosen_hvp(x, N, t, d, h);
  return d[index];
}
static double mixed_grad_along(REAL eps, int index) {
  REAL x[N], d[N] = {0}, h[N] = {0}, d_a = 0, h_a = 0;
  for (int i = 0; i < N; i++)
    x[i] = in_x[i] + eps * dir_x[i];
  mixed_hvp(x, in_a + eps * dir_a, N, dir_x, dir_a, d, &d_a, h, &h_a);
  return index < N ? d[index] : d_a;
}
static double softmax_grad_along(REAL eps, int index) {
  REAL w[W], d[W] = {0}, h[W] = {0}, d_s = 0, h_s = 0;
  for (int i = 0; i < W; i++)
    w[i] = in_w[i] + eps * dir_w[i];
  softmax_hvp(w, in_feat, N, in_scale + eps * dir_scale, dir_w, dir_scale, d, &d_s, h, &h_s);
  return index < W ? d[index] : d_s;
}
/* one gradient entry at the inputs as they are: fd_check moves one of them */
static REAL rosen_grad_entry(void) {
  REAL t[N] = {0}, d[N] = {0}, h[N] = {0};
  rosen_hvp(in_x, N, t, d, h);
  return d[entry];
}
static REAL softmax_grad_entry(void) {
  REAL d[W] = {0}, h[W] = {0}, t[W] = {0}, d_s = 0, h_s = 0;
  softmax_hvp(in_w, in_feat, N, in_scale, t, 0, d, &d_s, h, &h_s);
  return entry == 0 ? d_s : d[entry - 1];
}

int main(void) {
  for (int i = 0; i < W; i++) {
    in_w[i] = (REAL)(0.3 * sin(1.7 * i + 0.2));
    dir_w[i] = (REAL)(0.5 * cos(0.9 * i));
  }
  /* rosen: hvp, then its Hessian */
  REAL d[W], h[W], d2[W], h2[W];
  memset(d, 0, sizeof d);
  memset(h, 0, sizeof h);
  fd_value("rosen_hvp", rosen_hvp(in_x, N, dir_x, d, h), rosen_loss());
  fd_check_array("rosen_hvp d_x", in_x, d, N, rosen_loss);
  for (int i = 0; i < N; i++)
    fd_check_tangent("rosen_hvp h_x", i, h[i], rosen_grad_along);
  memcpy(d2, d, sizeof d);
  memcpy(h2, h, sizeof h);
  rosen_hvp(in_x, N, dir_x, d2, h2);
  for (int i = 0; i < N; i++) {
    fd_same("rosen_hvp d_x accumulated", i, d2[i], 2 * d[i]);
    fd_same("rosen_hvp h_x accumulated", i, h2[i], 2 * h[i]);
  }
  double hess[(W + 1) * (W + 1)];
  for (int i = 0; i < N * N; i++)
    hess[i] = NAN; /* every entry written */
  fd_value("rosen_hessian", rosen_hessian(in_x, N, hess), rosen_loss());
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      entry = i;
      fd_check("rosen_hessian", i * N + j, &in_x[j], hess[i * N + j], rosen_grad_entry);
      fd_same("rosen_hessian symmetric", i * N + j, hess[i * N + j], hess[j * N + i]);
    }

  /* mixed: an array and a scalar */
  REAL d_a = 0, h_a = 0;
  memset(d, 0, sizeof d);
  memset(h, 0, sizeof h);
  fd_value("mixed_hvp", mixed_hvp(in_x, in_a, N, dir_x, dir_a, d, &d_a, h, &h_a), mixed_loss());
  fd_check_array("mixed_hvp d_x", in_x, d, N, mixed_loss);
  fd_check("mixed_hvp d_a", -1, &in_a, d_a, mixed_loss);
  for (int i = 0; i < N; i++)
    fd_check_tangent("mixed_hvp h_x", i, h[i], mixed_grad_along);
  fd_check_tangent("mixed_hvp h_a", N, h_a, mixed_grad_along);

  /* softmax: through a helper; the Hessian's columns scale, then w */
  REAL d_s = 0, h_s = 0;
  memset(d, 0, sizeof d);
  memset(h, 0, sizeof h);
  fd_value("softmax_hvp", softmax_hvp(in_w, in_feat, N, in_scale, dir_w, dir_scale, d, &d_s, h, &h_s),
           softmax_value());
  fd_check_array("softmax_hvp d_w", in_w, d, W, softmax_value);
  fd_check("softmax_hvp d_scale", -1, &in_scale, d_s, softmax_value);
  for (int i = 0; i < W; i++)
    fd_check_tangent("softmax_hvp h_w", i, h[i], softmax_grad_along);
  fd_check_tangent("softmax_hvp h_scale", W, h_s, softmax_grad_along);
  enum { C = W + 1 };
  for (int i = 0; i < C * C; i++)
    hess[i] = NAN;
  fd_value("softmax_loss_hessian", softmax_loss_hessian(in_w, in_feat, N, in_scale, hess), softmax_value());
  for (int i = 0; i < C; i++)
    for (int j = 0; j < C; j++) {
      entry = i; /* column 0 is scale, column 1 + k is w[k] */
      REAL *moved = j == 0 ? &in_scale : &in_w[j - 1];
      fd_check("softmax_loss_hessian", i * C + j, moved, hess[i * C + j], softmax_grad_entry);
      fd_same("softmax_loss_hessian symmetric", i * C + j, hess[i * C + j], hess[j * C + i]);
    }
  return fd_report("hvp");
}
#endif
