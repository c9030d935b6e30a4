/* pointer_step_continue: a for whose step moves a pointer (`q++`, or
 * `i++, p++`) and whose body has a continue is not a counted loop; its
 * step, run after the body, moved the pointer without its adjoint pointer
 * (`d_q = 1;`: a warning, then a crash). Found by the random programs
 * (seeds 73, 94, 127 of the generator with comma loops).  FD f64/f32. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

REAL stepping(const REAL *x, REAL a, int n) {
  REAL acc = 0;
  int i;
  const REAL *p;
  for (i = 0, p = x; i < n; i++, p++) {
    if (i == 1)
      continue;
    acc += sin(*p) * a;
  }
  const REAL *q = x;
  for (int k = 0; q < x + n; q++) {
    k++;
    if (k == 3)
      continue;
    acc += *q * *q * a;
  }
  return acc;
}
#pragma vgrad value_and_grad(stepping) argnums(0, 1)

#ifdef VG_DRIVER
#include "pointer_step_continue.vg.h"
#include "fdcheck.h"

static REAL in_x[5] = {0.3, -0.2, 0.7, 0.4, -0.5}, in_a = 1.3;
static REAL loss(void) { return stepping(in_x, in_a, 5); }

int main(void) {
  REAL d_x[5] = {0}, d_a = 0;
  fd_value("stepping", stepping_value_and_grad(in_x, in_a, 5, d_x, &d_a), loss());
  fd_check_array("d_x", in_x, d_x, 5, loss);
  fd_check("d_a", -1, &in_a, d_a, loss);
  return fd_report("pointer_step_continue");
}
#endif
