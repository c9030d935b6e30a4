/* loss_paths: loss(E) spelled as C spells a place: out[1] (the loss in the
 * second element of an output buffer whose first element the function
 * reads again: out's gradient lives in a buffer of the generated function,
 * length 2), *err and err[0] (both the same as loss(err)).  The outputs hold
 * what the original leaves in them. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

void two(REAL x, REAL y, REAL *out) {
  out[0] = x * y;
  out[1] = sin(out[0]) + y * y * out[0];
}
#pragma vgrad value_and_grad(two) argnums(0, 1) loss(out[1])

void cube(REAL x, REAL *err) {
  *err = x * x * x - x;
}
#pragma vgrad value_and_grad(cube) loss(*err)
#pragma vgrad grad(cube) loss(err[0])

#ifdef VG_DRIVER
#include "loss_paths.vg.h"
#include "fdcheck.h"

static REAL in_x = 0.6, in_y = -1.4;
static REAL two_loss(void) {
  REAL out[2];
  two(in_x, in_y, out);
  return out[1];
}
static REAL cube_loss(void) {
  REAL e;
  cube(in_x, &e);
  return e;
}

int main(void) {
  REAL out[2], want[2], d_x = 0, d_y = 0;
  two_value_and_grad(in_x, in_y, out, &d_x, &d_y);
  two(in_x, in_y, want);
  fd_exact("out[0]", out[0], want[0]);
  fd_exact("out[1]", out[1], want[1]);
  fd_check("d_x", -1, &in_x, d_x, two_loss);
  fd_check("d_y", -1, &in_y, d_y, two_loss);

  REAL e = 0, d = 0, d2 = 0;
  cube_value_and_grad(in_x, &e, &d);
  fd_value("*err", e, cube_loss());
  fd_check("d_x (cube)", -1, &in_x, d, cube_loss);
  cube_grad(in_x, &e, &d2);
  fd_same("grad against value_and_grad", -1, d2, d);
  return fd_report("loss_paths");
}
#endif
