/* pointer_write: writes through pointers: an output parameter the loss
 * fills in but does not read back (not differentiated), element writes and
 * compound writes to an array parameter that is differentiated.  After the
 * call, the caller's memory holds what the original function leaves
 * there. */
#ifndef REAL
#define REAL double
#endif

REAL pointer_write(REAL *x, REAL s, REAL *pred) {
  REAL y = x[0] * s;
  *pred = y;
  x[1] += x[0];
  x[2] = x[2] * x[1];
  pred[1] = x[2] - y;
  return y * x[1] + x[2] * s;
}
#pragma vgrad value_and_grad(pointer_write) argnums(0, 1)

#ifdef VG_DRIVER
#include "pointer_write.vg.h"
#include "fdcheck.h"

static const REAL x0[3] = {0.75, -1.25, 2.0};
static REAL in_x[3], in_s = 1.5;

/* The original function on a copy of in_x, so that finite differences
 * start from the same memory each time. */
static REAL loss(void) {
  REAL copy[3] = {in_x[0], in_x[1], in_x[2]}, pred[2];
  return pointer_write(copy, in_s, pred);
}

int main(void) {
  for (int i = 0; i < 3; i++)
    in_x[i] = x0[i];
  REAL want_x[3] = {x0[0], x0[1], x0[2]}, want_pred[2];
  REAL want = pointer_write(want_x, in_s, want_pred);

  REAL x[3] = {x0[0], x0[1], x0[2]}, pred[2] = {0, 0};
  REAL d_x[3] = {0}, d_s = 0;
  REAL v = pointer_write_value_and_grad(x, in_s, pred, d_x, &d_s);
  fd_value("value", v, want);
  for (int i = 0; i < 3; i++)
    fd_same("x after the call", i, x[i], want_x[i]);
  for (int i = 0; i < 2; i++)
    fd_same("pred after the call", i, pred[i], want_pred[i]);
  fd_check_array("d_x", in_x, d_x, 3, loss);
  fd_check("d_s", -1, &in_s, d_s, loss);
  return fd_report("pointer_write");
}
#endif
