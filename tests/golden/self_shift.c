/* self_shift: in a loop, x = x + c (and x = x, x = x - p): x's adjoint
 * stays what it was, so the temporary its self-update would copy it into
 * is not declared (it was, unused: a warning under -Wall).  FD f64/f32. */
#ifndef REAL
#define REAL double
#endif

REAL shift(REAL a, REAL p, int n) {
  REAL x = a;
  for (int i = 0; i < n; i++) {
    x = x + (REAL)0.5;
    x = x;
    x = x - p;
    x = x * p;
  }
  return x * x;
}
#pragma vgrad value_and_grad(shift) argnums(0, 1)

/* a body of such statements only */
REAL shift_only(REAL a, int n) {
  REAL x = a;
  for (int i = 0; i < n; i++) {
    x = x + (REAL)1;
    x = x;
  }
  return x * x;
}
#pragma vgrad value_and_grad(shift_only) argnums(0)

#ifdef VG_DRIVER
#include "self_shift.vg.h"
#include "fdcheck.h"

static REAL in_a = 0.7, in_p = 0.9;
static int in_n;
static REAL loss(void) { return shift(in_a, in_p, in_n); }
static REAL loss_only(void) { return shift_only(in_a, in_n); }

int main(void) {
  for (in_n = 0; in_n <= 6; in_n += 3) {
    REAL d_a = 0, d_p = 0;
    fd_value("shift", shift_value_and_grad(in_a, in_p, in_n, &d_a, &d_p), loss());
    fd_check("d_a", in_n, &in_a, d_a, loss);
    fd_check("d_p", in_n, &in_p, d_p, loss);
    REAL o_a = 0;
    fd_value("shift_only", shift_only_value_and_grad(in_a, in_n, &o_a), loss_only());
    fd_check("shift_only d_a", in_n, &in_a, o_a, loss_only);
  }
  return fd_report("self_shift");
}
#endif
