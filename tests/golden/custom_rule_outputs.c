/* custom_rule_outputs: custom rules for a function that writes through a
 * pointer, `tanh_axpy(n, a, x, y)`: y[i] += a * tanh(x[i]), a library
 * function with no body in this file (the driver defines it).  Its length
 * is declared (`REAL y[n]`), so the reverse sweep saves the n values the
 * call overwrites and puts them back before calling the rule.  The rules
 * have the signatures vjp and jvp generate with argnums(all) and
 * outputs(y): the cotangent `const REAL *ct_y`, then `d_a, d_x, d_y`
 * (the rule adds the gradient of what y held before the call); jvp's
 * `REAL *t_y` holds y's tangent before the call and receives it after.
 * The function calls it on a local array (in-out), into part of it
 * (&h[2], from h's first half), into the caller's `out` (its final values
 * are checked), and in a loop, where each call's region goes on the tape.
 * custom_rule_outputs_ckpt calls it in a checkpointed loop, in place
 * (x and y the same array, as BLAS allows for an elementwise update): the
 * snapshots must hold the array the call writes.
 * FD f64/f32, gradient and tangent. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

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
    REAL t_out = t_a * t + (t_x ? a * (1 - t * t) * t_x[i] : 0);
    y[i] += a * t;
    t_y[i] += t_out;
  }
}

#pragma vgrad custom_vjp(tanh_axpy) with(tanh_axpy_vjp)
#pragma vgrad custom_jvp(tanh_axpy) with(tanh_axpy_jvp)

REAL custom_rule_outputs(const REAL *x, REAL a, int n, REAL out[n]) {
  REAL h[4];
  for (int i = 0; i < 4; i++)
    h[i] = x[i] * a;
  tanh_axpy(4, a, x, h);
  tanh_axpy(2, h[0], h, &h[2]);
  REAL s = 0;
  for (int i = 0; i < 4; i++)
    s += h[i] * h[i];
  for (int i = 0; i < n; i++)
    out[i] = x[i];
  tanh_axpy(n, s, h, out);
  for (int r = 0; r < 3; r++) {
    tanh_axpy(2, 0.5 * a, out, h + r % 2);
    s += h[1] * out[r];
  }
  for (int i = 0; i < n; i++)
    s += out[i] * x[i];
  return s;
}
#pragma vgrad value_and_grad(custom_rule_outputs) argnums(0, 1)
#pragma vgrad jvp(custom_rule_outputs) argnums(0, 1)

REAL custom_rule_outputs_ckpt(const REAL *x, REAL a) {
  REAL h[4] = {0.1, 0.2, 0.3, 0.4};
  REAL s = 0;
#pragma vgrad checkpoint
  for (int r = 0; r < 6; r++) {
    tanh_axpy(4, a, h, h);
    s += h[r % 4] * x[r % 4];
  }
  return s;
}
#pragma vgrad value_and_grad(custom_rule_outputs_ckpt) argnums(all)

#ifdef VG_DRIVER
#include "custom_rule_outputs.vg.h"
#include "fdcheck.h"

void tanh_axpy(int n, REAL a, const REAL *x, REAL y[n]) {
  for (int i = 0; i < n; i++)
    y[i] += a * tanh(x[i]);
}

enum { N = 4 };
static REAL in_x[N] = {0.3, -0.5, 0.8, 0.1}, in_a = 0.7;
static const REAL dir_x[N] = {0.4, 0.9, -0.3, 0.6}, dir_a = -0.5;

static REAL loss(void) {
  REAL out[N];
  return custom_rule_outputs(in_x, in_a, N, out);
}

static REAL loss_ckpt(void) { return custom_rule_outputs_ckpt(in_x, in_a); }

static double along(REAL eps, int index) {
  (void)index;
  REAL x[N], out[N];
  for (int i = 0; i < N; i++)
    x[i] = in_x[i] + eps * dir_x[i];
  return custom_rule_outputs(x, in_a + eps * dir_a, N, out);
}

int main(void) {
  REAL d_x[N] = {0}, d_a = 0, out[N], want[N];
  custom_rule_outputs(in_x, in_a, N, want);
  REAL v = custom_rule_outputs_value_and_grad(in_x, in_a, N, out, d_x, &d_a);
  fd_value("custom_rule_outputs", v, loss());
  for (int i = 0; i < N; i++)
    fd_same("out", i, out[i], want[i]);
  fd_check_array("d_x", in_x, d_x, N, loss);
  fd_check("d_a", -1, &in_a, d_a, loss);
  REAL t_ret = -99;
  REAL vj = custom_rule_outputs_jvp(in_x, in_a, N, out, dir_x, dir_a, &t_ret);
  fd_value("custom_rule_outputs (jvp)", vj, loss());
  for (int i = 0; i < N; i++)
    fd_same("out (jvp)", i, out[i], want[i]);
  fd_check_tangent("t_ret", -1, t_ret, along);
  REAL d_xc[N] = {0}, d_ac = 0;
  REAL vc = custom_rule_outputs_ckpt_value_and_grad(in_x, in_a, d_xc, &d_ac);
  fd_value("custom_rule_outputs_ckpt", vc, loss_ckpt());
  fd_check_array("d_x (ckpt)", in_x, d_xc, N, loss_ckpt);
  fd_check("d_a (ckpt)", -1, &in_a, d_ac, loss_ckpt);
  return fd_report("custom_rule_outputs");
}
#endif
