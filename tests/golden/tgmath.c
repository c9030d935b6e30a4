/* tgmath: <tgmath.h>'s type-generic math, as C99 code written once for
 * float, double and complex writes it.  exp(x), sqrt(z), fabs(z), pow
 * and creal are each the function of their argument's type (exp, expf,
 * cexp, cexpf; fabs of a complex is cabs), which the generated code calls
 * by name.  value_and_grad w.r.t. a real array and a complex scalar; FD
 * f64/f32 (with REAL float every call is the float one). */
#include <tgmath.h>
#ifndef REAL
#define REAL double
#endif

REAL wave(const REAL *x, int n, REAL complex k) {
  REAL s = 0;
  for (int i = 0; i < n; i++) {
    REAL complex z = k * x[i] + I * sin(x[i]);
    s += exp(-x[i] * x[i]) * fabs(z) + creal(sqrt(z + 2)) + pow(fabs(x[i]) + 1, 0.5) + cimag(exp(z) / (2 + z));
  }
  return log(1 + s * s) + atan(creal(k));
}
#pragma vgrad value_and_grad(wave) argnums(0, 2)

#ifdef VG_DRIVER
#include "tgmath.vg.h"
#include "fdcheck.h"

enum { N = 4 };
static REAL in_x[N] = {0.3, -0.7, 1.1, 0.45};
static REAL complex in_k = 0.6 - 0.4 * I;

static REAL loss(void) { return wave(in_x, N, in_k); }

int main(void) {
  REAL d_x[N] = {0};
  REAL complex d_k = 0;
  REAL v = wave_value_and_grad(in_x, N, in_k, d_x, &d_k);
  fd_value("wave", v, loss());
  fd_check_array("d_x", in_x, d_x, N, loss);
  fd_check_complex("d_k", -1, &in_k, d_k, loss);
  return fd_report("tgmath");
}
#endif
