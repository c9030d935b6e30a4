/* user_call: calls to functions of the same file (with a return in the
 * middle, a pointer argument read inside, and a call inside a call) are
 * differentiated through; an external call that only sees inactive values
 * is kept. */
#include <math.h>
#include <stdlib.h>

#ifndef REAL
#define REAL double
#endif

static REAL square(REAL v) { return v * v; }

static REAL softclip(REAL v, REAL limit) {
  if (v > limit)
    return limit + log1p(v - limit);
  return v;
}

static REAL dot2(const REAL *a, const REAL *b) { return a[0] * b[0] + a[1] * b[1]; }

REAL user_call(const REAL *w, const REAL *x, REAL s, int n) {
  REAL p = dot2(w, x) + s;
  REAL q = softclip(square(p), 2.0) + square(s) * abs(n - 3);
  return q * s;
}
#pragma vgrad value_and_grad(user_call) argnums(0, 2)

#ifdef VG_DRIVER
#include "user_call.vg.h"
#include "fdcheck.h"

static REAL in_w[2] = {0.5, -0.25}, in_x[2] = {1.5, 2.0}, in_s = 0.75;
static REAL loss(void) { return user_call(in_w, in_x, in_s, 5); }

int main(void) {
  /* Below and above softclip's limit. */
  static const REAL points[] = {0.75, 1.5};
  for (int p = 0; p < 2; p++) {
    in_s = points[p];
    REAL d_w[2] = {0, 0}, d_s = 0;
    REAL v = user_call_value_and_grad(in_w, in_x, in_s, 5, d_w, &d_s);
    fd_value("value", v, loss());
    fd_check_array("d_w", in_w, d_w, 2, loss);
    fd_check("d_s", p, &in_s, d_s, loss);
  }
  return fd_report("user_call");
}
#endif
