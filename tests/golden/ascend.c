/* ascend: reverse loops whose iterations touch only their own elements
 * run upwards (the C compiler vectorises them without reversing each
 * vector); the others keep counting down.  scale: the sum's reverse
 * upwards (the product's pops y from the tape: down).  smooth: the
 * reverse of y[i] = x[i] + 0.5 y[i-1] adds into d_y[i-1] what d_y[i]
 * holds, so iteration i needs i+1 done first: down (y is not read by
 * the reverse sweep, so nothing is taped and only the dependence decides).  pairs: two pointers
 * into one array, one element apart: down (either may be the other's
 * neighbour).  The finite differences would catch smooth run upwards. */
#ifndef REAL
#define REAL double
#endif

REAL scale(const REAL *x, const REAL *w, int n) {
  REAL y[16];
  for (int i = 0; i < n; i++)
    y[i] = w[i] * x[i];
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += y[i] * y[i];
  return s;
}
#pragma vgrad value_and_grad(scale) argnums(0, 1)

REAL smooth(const REAL *x, const REAL *c, int n) {
  REAL y[16];
  y[0] = x[0];
  for (int i = 1; i < n; i++)
    y[i] = x[i] + (REAL)0.5 * y[i - 1];
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += c[i] * y[i];
  return s;
}
#pragma vgrad value_and_grad(smooth) argnums(0)

REAL pairs(const REAL *x, int n) {
  const REAL *a = x, *b = x + 1;
  REAL s = 0;
  for (int i = 0; i < n - 1; i++)
    s += a[i] * b[i];
  return s;
}
#pragma vgrad value_and_grad(pairs) argnums(0)

#ifdef VG_DRIVER
#include "ascend.vg.h"
#include "fdcheck.h"

static REAL in_x[16], in_w[16];
static int in_n;
static REAL loss_scale(void) { return scale(in_x, in_w, in_n); }
static REAL loss_smooth(void) { return smooth(in_x, in_w, in_n); }
static REAL loss_pairs(void) { return pairs(in_x, in_n); }

int main(void) {
  for (in_n = 1; in_n <= 12; in_n += 5) {
    for (int i = 0; i < in_n; i++) {
      in_x[i] = (REAL)(0.8 - 0.13 * i);
      in_w[i] = (REAL)(0.3 + 0.07 * (i % 4));
    }
    REAL d_x[16] = {0}, d_w[16] = {0};
    REAL v = scale_value_and_grad(in_x, in_w, in_n, d_x, d_w);
    fd_value("scale", v, loss_scale());
    fd_check_array("scale d_x", in_x, d_x, in_n, loss_scale);
    fd_check_array("scale d_w", in_w, d_w, in_n, loss_scale);

    REAL d_x2[16] = {0};
    v = smooth_value_and_grad(in_x, in_w, in_n, d_x2);
    fd_value("smooth", v, loss_smooth());
    fd_check_array("smooth d_x", in_x, d_x2, in_n, loss_smooth);

    REAL d_x3[16] = {0};
    v = pairs_value_and_grad(in_x, in_n, d_x3);
    fd_value("pairs", v, loss_pairs());
    fd_check_array("pairs d_x", in_x, d_x3, in_n, loss_pairs);
  }
  return fd_report("ascend");
}
#endif
