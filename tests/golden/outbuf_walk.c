/* outbuf_walk: an output buffer, not selected, written through a walking
 * pointer (`*o++ = ...`) and read again by the loss.  Its length is the
 * one the parameter is declared with: `REAL out[n]` and `REAL
 * out[static 3]`; out holds the original's values afterwards. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL fill(const REAL *x, int n, REAL out[n]) {
  REAL *o = out;
  for (int i = 0; i < n; i++)
    *o++ = exp(0.5 * x[i]) - x[i];
  REAL s = 0;
  const REAL *r = out;
  while (r < out + n) {
    s += *r * *r;
    r++;
  }
  return s;
}
#pragma vgrad value_and_grad(fill)

REAL fill3(REAL a, REAL b, REAL out[static 3]) {
  REAL *o = out;
  *o++ = a * b;
  *o++ = a + b * b;
  *o = sin(a);
  return out[0] * out[1] + out[2] * out[0];
}
#pragma vgrad value_and_grad(fill3) argnums(0, 1)

#ifdef VG_DRIVER
#include "outbuf_walk.vg.h"
#include "fdcheck.h"

enum { N = 4 };
static REAL in_x[N] = {0.2, -0.6, 1.3, 0.5};
static REAL fill_loss(void) {
  REAL out[N];
  return fill(in_x, N, out);
}

static REAL in_a = 0.8, in_b = -0.4;
static REAL fill3_loss(void) {
  REAL out[3];
  return fill3(in_a, in_b, out);
}

int main(void) {
  REAL out[N], want_out[N], d_x[N] = {0};
  REAL value = fill_value_and_grad(in_x, N, out, d_x);
  fd_value("value", value, fill(in_x, N, want_out));
  for (int i = 0; i < N; i++)
    fd_exact("out", out[i], want_out[i]);
  fd_check_array("d_x", in_x, d_x, N, fill_loss);

  REAL out3[3], want3[3], d_a = 0, d_b = 0;
  value = fill3_value_and_grad(in_a, in_b, out3, &d_a, &d_b);
  fd_value("value3", value, fill3(in_a, in_b, want3));
  for (int i = 0; i < 3; i++)
    fd_exact("out3", out3[i], want3[i]);
  fd_check("d_a", -1, &in_a, d_a, fill3_loss);
  fd_check("d_b", -1, &in_b, d_b, fill3_loss);
  return fd_report("outbuf_walk");
}
#endif
