/* local_arrays: a fixed-size local array overwritten in place many times
 * in a loop (each overwritten element kept for the reverse sweep), a
 * variable-length local array REAL t[n], and an initialised local array
 * REAL c[3] = {...}. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL local_arrays(const REAL *x, int n, REAL s) {
  REAL c[3] = {0.5, -1.0, 0.25};
  REAL h[3];
  for (int k = 0; k < 3; k++)
    h[k] = c[k] * s;
  /* Rewrite h in place, step after step. */
  for (int step = 0; step < 4; step++)
    for (int k = 0; k < 3; k++)
      h[k] = sin(h[k] + x[(step + k) % n]) * h[(k + 1) % 3] + c[k];
  REAL t[n];
  for (int i = 0; i < n; i++)
    t[i] = x[i] * h[i % 3];
  for (int i = 1; i < n; i++)
    t[i] += t[i - 1] * s;
  REAL sum = 0;
  for (int i = 0; i < n; i++)
    sum += t[i] * t[i];
  return sum;
}
#pragma vgrad value_and_grad(local_arrays) argnums(0, 2)

#ifdef VG_DRIVER
#include "local_arrays.vg.h"
#include "fdcheck.h"

static REAL in_x[5] = {0.4, -0.7, 1.1, 0.2, -0.3}, in_s = 0.8;
static REAL loss(void) { return local_arrays(in_x, 5, in_s); }

int main(void) {
  REAL d_x[5] = {0}, d_s = 0;
  REAL v = local_arrays_value_and_grad(in_x, 5, in_s, d_x, &d_s);
  fd_value("value", v, loss());
  fd_check_array("d_x", in_x, d_x, 5, loss);
  fd_check("d_s", -1, &in_s, d_s, loss);
  return fd_report("local_arrays");
}
#endif
