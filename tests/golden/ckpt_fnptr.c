/* ckpt_fnptr: a checkpointed loop whose step calls, through a helper
 * given a function pointer, one of a table of functions of two arrays
 * (random seeds 124 and 139).  The call becomes a choice among the
 * inlined targets, each setting its own pointer parameters from the
 * arguments in its branch before reading them; the check that refuses a
 * pointer carrying its position from one step to the next took those for
 * such pointers.  Each step sets them again, so the snapshots need not
 * hold them.
 *
 * The driver checks value and gradient (x and y, every entry) against
 * central finite differences, float64 and float32, with tests/fdcheck.h's
 * steps and tolerances (|g - n| <= 1e-6 + 1e-5 max(|g|,|n|) for double,
 * 2e-3 + 2e-2 max(...) for float), for each entry of the table. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

static REAL first_last(const REAL *v0, const REAL *v1, int n) { return v0[0] * v1[n - 1]; }
static REAL mixed(const REAL *v0, const REAL *v1, int n) { return v0[1] + v1[0] * tanh(v0[n - 2]); }
static REAL (*const table[])(const REAL *v0, const REAL *v1, int n) = {first_last, mixed, mixed};

static REAL apply(REAL (*f)(const REAL *v0, const REAL *v1, int n), const REAL *v0, const REAL *v1, int n) {
  REAL r = f(v0, v1, n);
  return (REAL)0.5 * r + (REAL)0.25 * tanh(f(v1, v0, n));
}

REAL ckpt_fnptr(const REAL *x, const REAL *y, int n, int pick) {
  REAL c = 0.1;
#pragma vgrad checkpoint snapshots(2)
  for (int t = 0; t < 6; t++)
    c = (REAL)0.6 * c + (REAL)0.4 * sin(c + apply(table[(pick + t) % 3], y, x, n));
  return c * c;
}
#pragma vgrad value_and_grad(ckpt_fnptr) argnums(0, 1)

#ifdef VG_DRIVER
#include "ckpt_fnptr.vg.h"
#include "fdcheck.h"

static REAL in_x[4] = {0.3, -0.7, 0.5, 0.9}, in_y[4] = {-0.2, 0.8, 0.4, -0.6};
static int in_pick;
static REAL loss(void) { return ckpt_fnptr(in_x, in_y, 4, in_pick); }

int main(void) {
  for (in_pick = 0; in_pick < 3; in_pick++) {
    REAL d_x[4] = {0}, d_y[4] = {0};
    REAL v = ckpt_fnptr_value_and_grad(in_x, in_y, 4, in_pick, d_x, d_y);
    fd_value("ckpt_fnptr", v, loss());
    fd_check_array("d_x", in_x, d_x, 4, loss);
    fd_check_array("d_y", in_y, d_y, 4, loss);
  }
  return fd_report("ckpt_fnptr");
}
#endif
