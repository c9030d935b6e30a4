/* recompute_carried: a value set once per loop iteration but read earlier
 * in the next iteration, before it is set again. vgradcc redoes cheap
 * per-iteration values (an index, a pointer, a local array filled from the
 * inputs) at the start of each reverse iteration instead of taping them;
 * that gives back this iteration's value, while the read before the
 * assignment used the previous one. Each spelling here carries a value
 * across iterations and must be taped instead (before the fix all three
 * gave a silently wrong gradient):
 *   carried_index:  `if (i > 0) s += x[k] ...; k = i;`
 *   carried_branch: the same inside a branch of the body;
 *   carried_fill:   a local array read, then filled again from x.
 *
 * The driver checks values and gradients (every entry of x) against
 * central finite differences, float64 and float32, with tests/fdcheck.h's
 * steps and tolerances (|g - n| <= 1e-6 + 1e-5 max(|g|,|n|) for double,
 * 2e-3 + 2e-2 max(...) for float), for several lengths. */
#include <math.h>
/* k and prev are set before they are read, on a path gcc does not follow */
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#ifndef REAL
#define REAL double
#endif

REAL carried_index(const REAL *x, int n) {
  REAL s = 0;
  int k;
  for (int i = 0; i < n; i++) {
    if (i > 0)
      s += x[k] * sin(x[i]);
    k = i;
  }
  return s;
}
#pragma vgrad value_and_grad(carried_index) argnums(0)

REAL carried_branch(const REAL *x, int n) {
  REAL s = 0;
  int prev;
  for (int i = 0; i < n; i++) {
    if (x[i] > -5) {
      if (i > 0)
        s += x[prev] * tanh(x[i]);
      prev = i;
    }
  }
  return s;
}
#pragma vgrad value_and_grad(carried_branch) argnums(0)

REAL carried_fill(const REAL *x, int n) {
  REAL s = 0, a[3];
  for (int t = 0; t < n; t++) {
    if (t > 0)
      s += a[1] * cos(x[t]) + a[2] * a[0];
    for (int j = 0; j < 3; j++)
      a[j] = x[(t + j) % n] * (REAL)0.5;
  }
  return s;
}
#pragma vgrad value_and_grad(carried_fill) argnums(0)

#ifdef VG_DRIVER
#include "recompute_carried.vg.h"
#include "fdcheck.h"

static REAL in_x[5] = {0.3, -0.7, 1.1, 0.4, -0.9};
static int in_n;
static REAL loss_index(void) { return carried_index(in_x, in_n); }
static REAL loss_branch(void) { return carried_branch(in_x, in_n); }
static REAL loss_fill(void) { return carried_fill(in_x, in_n); }

int main(void) {
  for (in_n = 1; in_n <= 5; in_n++) {
    REAL d_x[5] = {0};
    fd_value("carried_index", carried_index_value_and_grad(in_x, in_n, d_x), loss_index());
    fd_check_array("carried_index d_x", in_x, d_x, 5, loss_index);
    REAL d_b[5] = {0};
    fd_value("carried_branch", carried_branch_value_and_grad(in_x, in_n, d_b), loss_branch());
    fd_check_array("carried_branch d_x", in_x, d_b, 5, loss_branch);
    REAL d_f[5] = {0};
    fd_value("carried_fill", carried_fill_value_and_grad(in_x, in_n, d_f), loss_fill());
    fd_check_array("carried_fill d_x", in_x, d_f, 5, loss_fill);
  }
  return fd_report("recompute_carried");
}
#endif
