/* ckpt_inner_call: a checkpointed loop whose step has inner loops that
 * call helpers taking arrays (soak seeds 50208, 50329, 50649, 50759).
 * Each inlined call sets its pointer parameters from the arguments
 * inside the inner loop, before reading them; the check that refuses a
 * pointer carrying its position from one step to the next took an inner
 * loop that mentions such a parameter for a read of the step before.
 * A pointer that does carry its position is still refused
 * (bad/ckpt_inner_walk).
 *
 * The driver checks value and gradient (x, y and a, every entry) against
 * central finite differences, float64 and float32, with tests/fdcheck.h's
 * steps and tolerances (|g - n| <= 1e-6 + 1e-5 max(|g|,|n|) for double,
 * 2e-3 + 2e-2 max(...) for float), for several lengths. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

static REAL ends(REAL u, const REAL *v0, const REAL *v1, int n) {
  return (REAL)0.2 * v1[n - 1] + (REAL)0.3 * sin(u) + (REAL)0.2 * v0[0];
}

static REAL dot(const REAL *p, const REAL *q, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += p[i] * q[i];
  return s;
}

REAL ckpt_inner_call(const REAL *x, const REAL *y, REAL a, int n) {
  REAL c = 0.1, acc = 0;
#pragma vgrad checkpoint snapshots(2)
  for (int t = 0; t < 2 * n; t++) {
    c = (REAL)0.5 * c + (REAL)0.1 * sin(-tanh(acc));
    for (int i = 0; i < n; i++) {
      REAL e = ends(c, x, y, n);
      acc += (REAL)0.1 * tanh(e * a);
    }
    int k = 0;
    while (k < 2) {
      acc += (REAL)0.05 * tanh(dot(x, y, n) + c);
      k++;
    }
    do
      acc += (REAL)0.01 * ends(acc, y, x, n);
    while (0);
  }
  return c * c + acc;
}
#pragma vgrad value_and_grad(ckpt_inner_call) argnums(0, 1, 2)

#ifdef VG_DRIVER
#include "ckpt_inner_call.vg.h"
#include "fdcheck.h"

static REAL in_x[4] = {0.3, -0.7, 0.5, 0.9}, in_y[4] = {-0.2, 0.8, 0.4, -0.6}, in_a[1] = {0.7};
static int in_n;
static REAL loss(void) { return ckpt_inner_call(in_x, in_y, in_a[0], in_n); }

int main(void) {
  for (in_n = 1; in_n <= 4; in_n++) {
    REAL d_x[4] = {0}, d_y[4] = {0}, d_a = 0;
    REAL v = ckpt_inner_call_value_and_grad(in_x, in_y, in_a[0], in_n, d_x, d_y, &d_a);
    fd_value("ckpt_inner_call", v, loss());
    fd_check_array("d_x", in_x, d_x, 4, loss);
    fd_check_array("d_y", in_y, d_y, 4, loss);
    fd_check_array("d_a", in_a, &d_a, 1, loss);
  }
  return fd_report("ckpt_inner_call");
}
#endif
