/* loss_param: loss(p): a void function leaves its loss in *err; the
 * generated function keeps the void return, *err holds the loss after the
 * call, and err is not a gradient output. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

void loss_param(REAL x, REAL y, REAL *err) {
  REAL r = x * y - 1;
  *err = r * r + sin(x);
}
#pragma vgrad value_and_grad(loss_param) argnums(0, 1) loss(err)

#ifdef VG_DRIVER
#include "loss_param.vg.h"
#include "fdcheck.h"

static REAL in_x = 0.8, in_y = 1.7;
static REAL loss(void) {
  REAL e;
  loss_param(in_x, in_y, &e);
  return e;
}

int main(void) {
  REAL err = 0, d_x = 0, d_y = 0;
  loss_param_value_and_grad(in_x, in_y, &err, &d_x, &d_y);
  fd_value("*err", err, loss());
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);
  return fd_report("loss_param");
}
#endif
