/* ckpt_reads: a checkpointed loop's replays in the reverse sweep read the
 * variables the loop reads as they are then, so each must be back to its
 * value in the forward sweep, even when what overwrites it after the loop
 * has an adjoint that needs no old value (a = 0.6 * a + ..., c = c + e,
 * t += e, s -= e): its save is kept.  Issue 20's program in its own
 * spelling (double), then REAL variants, each against the same loop taped
 * and against finite differences. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

double f(const double *x, double a, int n)
{
    double cx = 0.3, cv = 0.0;
#pragma vgrad checkpoint snapshots(2)
    for (int i = 0; i < 5; i++) {
        cv = cv + 0.5 * sin(cx) * tanh(a) + x[i % n];
        cx = cx + 0.5 * cv;
    }
    a = 0.6 * a + 0.4 * x[1];
    return cx + a;
}
#pragma vgrad value_and_grad(f) argnums(0, 1)

double f_taped(const double *x, double a, int n)
{
    double cx = 0.3, cv = 0.0;
    for (int i = 0; i < 5; i++) {
        cv = cv + 0.5 * sin(cx) * tanh(a) + x[i % n];
        cx = cx + 0.5 * cv;
    }
    a = 0.6 * a + 0.4 * x[1];
    return cx + a;
}
#pragma vgrad value_and_grad(f_taped) argnums(0, 1)

/* the same in REAL */
REAL param_after(const REAL *x, REAL a, int n) {
  REAL cx = (REAL)0.3, cv = 0;
#pragma vgrad checkpoint snapshots(2)
  for (int i = 0; i < 5; i++) {
    cv = cv + (REAL)0.5 * sin(cx) * tanh(a) + x[i % n];
    cx = cx + (REAL)0.5 * cv;
  }
  a = (REAL)0.6 * a + (REAL)0.4 * x[1];
  return cx + a;
}
#pragma vgrad value_and_grad(param_after) argnums(0, 1)

REAL param_after_taped(const REAL *x, REAL a, int n) {
  REAL cx = (REAL)0.3, cv = 0;
  for (int i = 0; i < 5; i++) {
    cv = cv + (REAL)0.5 * sin(cx) * tanh(a) + x[i % n];
    cx = cx + (REAL)0.5 * cv;
  }
  a = (REAL)0.6 * a + (REAL)0.4 * x[1];
  return cx + a;
}
#pragma vgrad value_and_grad(param_after_taped) argnums(0, 1)

/* a local read by the loop, then x = x + e, x += e, x -= e after it */
REAL local_after(const REAL *x, REAL a, int n) {
  REAL c = a * a, s = 0, t = x[0];
#pragma vgrad checkpoint snapshots(1)
  for (int i = 0; i < n; i++)
    s = s + sin(c * s + t) + x[i];
  c = c + x[1];
  t += x[2];
  s -= (REAL)0.5 * x[0];
  return s * (REAL)0.3 + c * t;
}
#pragma vgrad value_and_grad(local_after) argnums(0, 1)

REAL local_after_taped(const REAL *x, REAL a, int n) {
  REAL c = a * a, s = 0, t = x[0];
  for (int i = 0; i < n; i++)
    s = s + sin(c * s + t) + x[i];
  c = c + x[1];
  t += x[2];
  s -= (REAL)0.5 * x[0];
  return s * (REAL)0.3 + c * t;
}
#pragma vgrad value_and_grad(local_after_taped) argnums(0, 1)

#ifdef VG_DRIVER
#include "ckpt_reads.vg.h"
#include "fdcheck.h"

static REAL in_x[5] = {0.1, 0.2, -0.3, 0.4, 0.5}, in_a = 0.7;
static int in_n = 5;
static REAL loss_param(void) { return param_after(in_x, in_a, in_n); }
static REAL loss_local(void) { return local_after(in_x, in_a, in_n); }

static double in_dx[5] = {0.1, 0.2, -0.3, 0.4, 0.5}, in_da = 0.7;
static double loss_f(void) { return f(in_dx, in_da, 5); }

/* f is double whatever REAL is: double steps and tolerances */
static void check_f(const char *name, int index, double *at, double analytic) {
  double x0 = *at, h = 1e-6 * fd_max(1.0, fabs(x0));
  *at = x0 + h;
  double fp = loss_f();
  *at = x0 - h;
  double fm = loss_f();
  *at = x0;
  double numeric = (fp - fm) / (2 * h);
  fd_checks++;
  if (!(fabs(analytic - numeric) <= 1e-6 + 1e-5 * fd_max(fabs(analytic), fabs(numeric)))) {
    fd_failures++;
    printf("MISMATCH f %s[%d]: analytic %.10g, numeric %.10g\n", name, index, analytic, numeric);
  }
}

int main(void) {
  /* the numbers: d_a 1.946 (2.167 when the replay read the new a) */
  double f_x[5] = {0}, f_a = 0, ft_x[5] = {0}, ft_a = 0;
  fd_value("f", f_value_and_grad(in_dx, in_da, 5, f_x, &f_a), loss_f());
  f_taped_value_and_grad(in_dx, in_da, 5, ft_x, &ft_a);
  fd_value("f: d_a near 1.946", fabs(f_a - 1.946) < 5e-4, 1);
  fd_same("f: d_a = taped", -1, f_a, ft_a);
  for (int k = 0; k < 5; k++)
    fd_same("f: d_x = taped", k, f_x[k], ft_x[k]);
  check_f("d_a", -1, &in_da, f_a);
  for (int k = 0; k < 5; k++)
    check_f("d_x", k, &in_dx[k], f_x[k]);

  for (in_n = 1; in_n <= 5; in_n += 2) {
    REAL d_x[5] = {0}, d_a = 0, t_x[5] = {0}, t_a = 0;
    fd_value("param_after", param_after_value_and_grad(in_x, in_a, in_n, d_x, &d_a), loss_param());
    param_after_taped_value_and_grad(in_x, in_a, in_n, t_x, &t_a);
    fd_same("param_after: d_a = taped", in_n, d_a, t_a);
    for (int k = 0; k < 5; k++)
      fd_same("param_after: d_x = taped", k, d_x[k], t_x[k]);
    fd_check("param_after d_a", in_n, &in_a, d_a, loss_param);
    fd_check_array("param_after d_x", in_x, d_x, 5, loss_param);

    REAL l_x[5] = {0}, l_a = 0, lt_x[5] = {0}, lt_a = 0;
    fd_value("local_after", local_after_value_and_grad(in_x, in_a, in_n, l_x, &l_a), loss_local());
    local_after_taped_value_and_grad(in_x, in_a, in_n, lt_x, &lt_a);
    fd_same("local_after: d_a = taped", in_n, l_a, lt_a);
    for (int k = 0; k < 5; k++)
      fd_same("local_after: d_x = taped", k, l_x[k], lt_x[k]);
    fd_check("local_after d_a", in_n, &in_a, l_a, loss_local);
    fd_check_array("local_after d_x", in_x, l_x, 5, loss_local);
  }
  return fd_report("ckpt_reads");
}
#endif
