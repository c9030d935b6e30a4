/* ckpt_later: what a checkpointed loop reads, changed after it in other
 * ways than ckpt_reads: an element of a local array, a struct member, a
 * heap element, the caller's memory (y[0], put back to its final value
 * after the reverse sweep), a scalar in a later loop, in a branch, and in
 * a second checkpointed loop whose state it is; read by a helper with a
 * while loop that the loop calls.  Each against the same loops taped and
 * against finite differences. */
#include <math.h>
#include <stdlib.h>

#ifndef REAL
#define REAL double
#endif

struct K { REAL k; REAL m; };

/* the values the loop reads, changed after it in every other way */
REAL later(const REAL *x, REAL a, REAL *y, int n) {
  REAL w[2] = {a, x[1]};
  struct K q = {a * (REAL)0.5, x[2]};
  REAL *h = malloc(2 * sizeof(REAL));
  h[0] = x[3];
  h[1] = a;
  REAL lim = (REAL)10 * a;
  REAL u = a, s = (REAL)0.1;
#pragma vgrad checkpoint snapshots(2)
  for (int i = 0; i < n; i++)
    s = s + (REAL)0.3 * sin(s * w[0] + q.k + h[1] + u) + w[1] * q.m * h[0] + y[0] + (REAL)0.01 * lim;
  w[0] = w[0] + x[4];
  q.k += x[0];
  h[1] -= x[1];
  y[0] = y[0] + x[2];
  lim = lim + x[3];
  for (int j = 0; j < 2; j++)
    u = u + (REAL)0.5 * x[j];
  REAL r = s + w[0] * q.k + h[1] * y[0] + lim * u;
  free(h);
  return r;
}
#pragma vgrad value_and_grad(later) argnums(0, 1, 2)

REAL later_taped(const REAL *x, REAL a, REAL *y, int n) {
  REAL w[2] = {a, x[1]};
  struct K q = {a * (REAL)0.5, x[2]};
  REAL *h = malloc(2 * sizeof(REAL));
  h[0] = x[3];
  h[1] = a;
  REAL lim = (REAL)10 * a;
  REAL u = a, s = (REAL)0.1;
  for (int i = 0; i < n; i++)
    s = s + (REAL)0.3 * sin(s * w[0] + q.k + h[1] + u) + w[1] * q.m * h[0] + y[0] + (REAL)0.01 * lim;
  w[0] = w[0] + x[4];
  q.k += x[0];
  h[1] -= x[1];
  y[0] = y[0] + x[2];
  lim = lim + x[3];
  for (int j = 0; j < 2; j++)
    u = u + (REAL)0.5 * x[j];
  REAL r = s + w[0] * q.k + h[1] * y[0] + lim * u;
  free(h);
  return r;
}
#pragma vgrad value_and_grad(later_taped) argnums(0, 1, 2)

/* changed after the loop in a branch, and by a second checkpointed loop */
REAL two_loops(const REAL *x, REAL a, int n) {
  REAL c = a, s = 0;
#pragma vgrad checkpoint
  for (int i = 0; i < n; i++)
    s = s + sin(c * s + x[i % 3]);
  if (s > 0)
    c = c - x[0];
  REAL t = c;
#pragma vgrad checkpoint snapshots(1)
  for (int i = 0; i < n; i++) {
    c = c + (REAL)0.1 * s;
    t = t * (REAL)0.9 + (REAL)0.2 * cos(c);
  }
  return s + t + c;
}
#pragma vgrad value_and_grad(two_loops) argnums(0, 1)

REAL two_loops_taped(const REAL *x, REAL a, int n) {
  REAL c = a, s = 0;
  for (int i = 0; i < n; i++)
    s = s + sin(c * s + x[i % 3]);
  if (s > 0)
    c = c - x[0];
  REAL t = c;
  for (int i = 0; i < n; i++) {
    c = c + (REAL)0.1 * s;
    t = t * (REAL)0.9 + (REAL)0.2 * cos(c);
  }
  return s + t + c;
}
#pragma vgrad value_and_grad(two_loops_taped) argnums(0, 1)

/* an inlined helper with a while loop, reading e, which changes after */
static REAL step(REAL v, REAL c, const REAL *x, int i) {
  REAL t = v;
  int m = 0;
  while (m < 2 && t < (REAL)5) {
    t = t + (REAL)0.1 * tanh(c * t + x[i % 3]);
    m++;
  }
  return t;
}

REAL helper(const REAL *x, REAL c, int n) {
  REAL v = x[0], h[3] = {x[0], x[1], x[2]};
  REAL e = c * c;
#pragma vgrad checkpoint snapshots(2)
  for (int i = 0; i < n; i++) {
    v = step(v, e, x, i);
    h[i % 3] += (REAL)0.1 * v * e;
  }
  e = e + x[1];
  h[0] = h[0] + x[0];
  return v + e * h[0] + h[1] * h[2];
}
#pragma vgrad value_and_grad(helper) argnums(0, 1)

REAL helper_taped(const REAL *x, REAL c, int n) {
  REAL v = x[0], h[3] = {x[0], x[1], x[2]};
  REAL e = c * c;
  for (int i = 0; i < n; i++) {
    v = step(v, e, x, i);
    h[i % 3] += (REAL)0.1 * v * e;
  }
  e = e + x[1];
  h[0] = h[0] + x[0];
  return v + e * h[0] + h[1] * h[2];
}
#pragma vgrad value_and_grad(helper_taped) argnums(0, 1)

#ifdef VG_DRIVER
#include "ckpt_later.vg.h"
#include "fdcheck.h"

static REAL in_x[5] = {0.1, 0.2, -0.3, 0.4, 0.5}, in_a = 0.7, in_y[1] = {0.25};
static int in_n = 5;
static REAL loss_later(void) {
  REAL y[1] = {in_y[0]};
  return later(in_x, in_a, y, in_n);
}
static REAL loss_two(void) { return two_loops(in_x, in_a, in_n); }
static REAL loss_helper(void) { return helper(in_x, in_a, in_n); }

int main(void) {
  for (in_n = 0; in_n <= 6; in_n += 3) {
    REAL d_x[5] = {0}, d_a = 0, d_y[1] = {0}, t_x[5] = {0}, t_a = 0, t_y[1] = {0};
    REAL y[1] = {in_y[0]}, ty[1] = {in_y[0]};
    fd_value("later", later_value_and_grad(in_x, in_a, y, in_n, d_x, &d_a, d_y), loss_later());
    later_taped_value_and_grad(in_x, in_a, ty, in_n, t_x, &t_a, t_y);
    fd_same("later: y[0] after the call", in_n, y[0], ty[0]);
    fd_same("later: d_a = taped", in_n, d_a, t_a);
    fd_same("later: d_y = taped", 0, d_y[0], t_y[0]);
    for (int k = 0; k < 5; k++)
      fd_same("later: d_x = taped", k, d_x[k], t_x[k]);
    fd_check("later d_a", in_n, &in_a, d_a, loss_later);
    fd_check_array("later d_x", in_x, d_x, 5, loss_later);
    fd_check_array("later d_y", in_y, d_y, 1, loss_later);

    REAL e_x[5] = {0}, e_a = 0, et_x[5] = {0}, et_a = 0;
    fd_value("two_loops", two_loops_value_and_grad(in_x, in_a, in_n, e_x, &e_a), loss_two());
    two_loops_taped_value_and_grad(in_x, in_a, in_n, et_x, &et_a);
    fd_same("two_loops: d_a = taped", in_n, e_a, et_a);
    for (int k = 0; k < 5; k++)
      fd_same("two_loops: d_x = taped", k, e_x[k], et_x[k]);
    fd_check("two_loops d_a", in_n, &in_a, e_a, loss_two);
    fd_check_array("two_loops d_x", in_x, e_x, 5, loss_two);

    REAL h_x[5] = {0}, h_a = 0, ht_x[5] = {0}, ht_a = 0;
    fd_value("helper", helper_value_and_grad(in_x, in_a, in_n, h_x, &h_a), loss_helper());
    helper_taped_value_and_grad(in_x, in_a, in_n, ht_x, &ht_a);
    fd_same("helper: d_c = taped", in_n, h_a, ht_a);
    for (int k = 0; k < 5; k++)
      fd_same("helper: d_x = taped", k, h_x[k], ht_x[k]);
    fd_check("helper d_c", in_n, &in_a, h_a, loss_helper);
    fd_check_array("helper d_x", in_x, h_x, 5, loss_helper);
  }
  return fd_report("ckpt_later");
}
#endif
