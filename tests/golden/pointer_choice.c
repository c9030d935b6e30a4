/* pointer_choice: pointers chosen between arrays by ?: and by if/else,
 * each written several ways: `c ? a : b`, `c ? &a[k] : b + k`, a nested
 * ?: among three arrays (a parameter, a local array, another parameter),
 * if/else chains per loop iteration, and a chosen pointer written through
 * (`REAL *dst = ...; dst[i] = ...`).  The adjoint pointer is chosen the
 * same way, and restored with the pointer in the reverse sweep. */
#ifndef REAL
#define REAL double
#endif
#include <math.h>

REAL pointer_choice(const REAL *a, const REAL *b, REAL *out, int n, int flip) {
  REAL loc[4];
  for (int i = 0; i < n; i++)
    loc[i] = sin(a[i]) * b[i];
  const REAL *p = flip ? a : b;
  const REAL *q = flip ? &loc[1] : b + 1;
  REAL s = 0;
  for (int i = 0; i + 1 < n; i++)
    s += p[i] * q[i];
  for (int i = 0; i < n; i++) {
    const REAL *r = i % 3 == 0 ? a : i % 3 == 1 ? loc : b;
    s += r[i] * r[i];
  }
  for (int i = 0; i < n; i++) {
    const REAL *u;
    if (a[i] > b[i])
      u = loc;
    else if (i % 2)
      u = a;
    else
      u = b + 0;
    s += exp(u[i]) * a[i];
  }
  const REAL *v;
  if (flip)
    v = loc + 1;
  else
    v = a;
  s += v[0] * v[1];
  /* written through a chosen pointer, then read back */
  REAL tmp[4];
  REAL *dst = flip ? out : tmp;
  for (int i = 0; i < n; i++)
    dst[i] = a[i] * loc[i];
  for (int i = 0; i < n; i++)
    s += dst[i] * b[i];
  return s;
}
#pragma vgrad value_and_grad(pointer_choice) argnums(0, 1, 2)

#ifdef VG_DRIVER
#include "pointer_choice.vg.h"
#include "fdcheck.h"

static REAL in_a[4] = {0.6, -0.4, 0.9, 0.2};
static REAL in_b[4] = {0.3, 0.5, -0.7, 0.8};
static REAL in_out[4] = {9, 9, 9, 9};
static int in_flip;
static REAL loss(void) { return pointer_choice(in_a, in_b, in_out, 4, in_flip); }

int main(void) {
  for (in_flip = 0; in_flip < 2; in_flip++) {
    REAL d_a[4] = {0}, d_b[4] = {0}, d_out[4] = {0};
    REAL v = pointer_choice_value_and_grad(in_a, in_b, in_out, 4, in_flip, d_a, d_b, d_out);
    REAL out_after[4];
    for (int i = 0; i < 4; i++)
      out_after[i] = in_out[i];
    fd_value("value", v, loss());
    for (int i = 0; i < 4; i++) /* as after a plain call */
      fd_exact("out", out_after[i], in_out[i]);
    fd_check_array("d_a", in_a, d_a, 4, loss);
    fd_check_array("d_b", in_b, d_b, 4, loss);
  }
  return fd_report("pointer_choice");
}
#endif
