/* pointer_walk_repoint: a pointer that walks with p++ (and *p++) through
 * one array and is then pointed into another: into a parameter, a local
 * array and back, and inside a loop whose every row restarts it in a
 * different array.  The steps are undone in the reverse sweep, and the
 * re-pointings restored from the tape, the adjoint pointer with each. */
#ifndef REAL
#define REAL double
#endif
#include <math.h>

REAL pointer_walk_repoint(const REAL *x, const REAL *y, int n) {
  REAL sq[4];
  for (int i = 0; i < n; i++)
    sq[i] = x[i] * y[i];
  REAL s = 0;
  const REAL *p = x;
  for (int i = 0; i < n; i++) {
    s += *p * *p;
    p++;
  }
  p = sq;
  for (int i = 0; i < n; i++)
    s += cos(*p++);
  p = y + 1;
  s += p[0] * p[1];
  for (int r = 0; r < 3; r++) {
    const REAL *q = r == 1 ? sq : x;
    for (int i = 0; i < n; i++) {
      REAL qv = *q++;
      s += qv * sin(qv) * y[r];
    }
    q = y;
    s += *q * (REAL)r;
  }
  return s;
}
#pragma vgrad value_and_grad(pointer_walk_repoint) argnums(0, 1)

#ifdef VG_DRIVER
#include "pointer_walk_repoint.vg.h"
#include "fdcheck.h"

static REAL in_x[4] = {0.7, -0.2, 0.45, 1.1};
static REAL in_y[4] = {-0.6, 0.3, 0.95, 0.25};
static REAL loss(void) { return pointer_walk_repoint(in_x, in_y, 4); }

int main(void) {
  REAL d_x[4] = {0}, d_y[4] = {0};
  REAL v = pointer_walk_repoint_value_and_grad(in_x, in_y, 4, d_x, d_y);
  fd_value("value", v, loss());
  fd_check_array("d_x", in_x, d_x, 4, loss);
  fd_check_array("d_y", in_y, d_y, 4, loss);
  return fd_report("pointer_walk_repoint");
}
#endif
