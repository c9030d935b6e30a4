/* aliasing: inside the differentiated function, a helper whose two
 * pointer parameters get the same local array, axpy(N, a, t, t) (x read
 * and y written are one memory: t becomes (1 + a) t) or overlapping
 * arrays shifted by one (axpy(N - 1, a, t, t + 1): t[i + 1] += a t[i] in
 * order, a recurrence), and a helper called twice with its two pointer
 * arguments swapped. */
#ifndef REAL
#define REAL double
#endif

#define N 4

/* y += a * x */
static void axpy(int n, REAL a, const REAL *x, REAL *y) {
  for (int i = 0; i < n; i++)
    y[i] += a * x[i];
}

/* sum_i u[i] * v[i]^2: not symmetric in u and v. */
static REAL weighted(int n, const REAL *u, const REAL *v) {
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += u[i] * v[i] * v[i];
  return s;
}

REAL aliasing(const REAL *x, REAL a) {
  REAL t[N], u[N];
  for (int i = 0; i < N; i++) {
    t[i] = x[i];
    u[i] = x[i] * x[i] - 0.5;
  }
  axpy(N, a, t, t);
  axpy(N, a, u, t);
  axpy(N, 0.5, t, t);
  axpy(N - 1, a, t, t + 1); /* overlapping, shifted by one: a recurrence */
  return weighted(N, t, u) - 2 * weighted(N, u, t);
}
#pragma vgrad value_and_grad(aliasing) argnums(0, 1)

#ifdef VG_DRIVER
#include "aliasing.vg.h"
#include "fdcheck.h"

static REAL in_x[4] = {0.6, -0.9, 1.3, 0.35}, in_a = 0.7;
static REAL loss(void) { return aliasing(in_x, in_a); }

int main(void) {
  REAL d_x[4] = {0}, d_a = 0;
  REAL v = aliasing_value_and_grad(in_x, in_a, d_x, &d_a);
  fd_value("value", v, loss());
  fd_check_array("d_x", in_x, d_x, 4, loss);
  fd_check("d_a", -1, &in_a, d_a, loss);
  return fd_report("aliasing");
}
#endif
