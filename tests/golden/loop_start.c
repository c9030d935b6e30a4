/* loop_start: the reverse of a counted loop evaluates its start again
 * (i = A < B ? B : A, while (i != A)), so what the start reads must be
 * back to its forward value there: a floating scalar changed after the
 * loop by an update whose adjoint needs no old value (c = c + e, c += e)
 * keeps its save, also on the tape when it changes in an outer loop.
 * Without the save the reverse loop stops early (a missed derivative) or
 * runs past the start (popping another loop's values). */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL start_after(const REAL *x, REAL a, int n) {
  REAL c = (REAL)1.5;
  REAL s = 0;
  for (int i = (int)c; i < n; i++)
    s += x[i] * a;
  c = c + (REAL)10 * x[0];
  return s + c;
}
#pragma vgrad value_and_grad(start_after) argnums(0, 1)

REAL start_before(const REAL *x, REAL a, int n) {
  REAL c = (REAL)2.5;
  REAL s = 0;
  for (int i = (int)c; i < n; i++)
    s += sin(x[i] * a);
  c -= (REAL)10 * x[0];
  return s + c;
}
#pragma vgrad value_and_grad(start_before) argnums(0, 1)

REAL start_outer(const REAL *x, REAL a, int n) {
  REAL c = (REAL)0.5;
  REAL s = 0;
  for (int j = 0; j < 3; j++) {
    for (int i = (int)c; i < n; i++)
      s += x[i] * a * (REAL)(j + 1);
    c += (REAL)1.1;
  }
  return s + c * x[1];
}
#pragma vgrad value_and_grad(start_outer) argnums(0, 1)

#ifdef VG_DRIVER
#include "loop_start.vg.h"
#include "fdcheck.h"

static REAL in_x[6] = {0.1, 0.2, -0.3, 0.4, 0.5, -0.25}, in_a = 0.7;
static int in_n = 5;
static REAL loss_after(void) { return start_after(in_x, in_a, in_n); }
static REAL loss_before(void) { return start_before(in_x, in_a, in_n); }
static REAL loss_outer(void) { return start_outer(in_x, in_a, in_n); }

int main(void) {
  for (in_n = 3; in_n <= 6; in_n += 3) {
    REAL d_x[6] = {0}, d_a = 0;
    fd_value("start_after", start_after_value_and_grad(in_x, in_a, in_n, d_x, &d_a), loss_after());
    fd_check_array("start_after d_x", in_x, d_x, 6, loss_after);
    fd_check("start_after d_a", in_n, &in_a, d_a, loss_after);

    REAL b_x[6] = {0}, b_a = 0;
    fd_value("start_before", start_before_value_and_grad(in_x, in_a, in_n, b_x, &b_a), loss_before());
    fd_check_array("start_before d_x", in_x, b_x, 6, loss_before);
    fd_check("start_before d_a", in_n, &in_a, b_a, loss_before);

    REAL o_x[6] = {0}, o_a = 0;
    fd_value("start_outer", start_outer_value_and_grad(in_x, in_a, in_n, o_x, &o_a), loss_outer());
    fd_check_array("start_outer d_x", in_x, o_x, 6, loss_outer);
    fd_check("start_outer d_a", in_n, &in_a, o_a, loss_outer);
  }
  return fd_report("loop_start");
}
#endif
