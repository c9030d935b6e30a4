/* complex_spellings: the ways C code spells complex numbers, each
 * differentiated the same: `double complex`, `_Complex double`, `complex
 * double`, `double _Complex` and `_Complex_I`; an increment as `z += e`
 * and as `z = z + e` and `z = e + z`; elements as `z[i]` and `*(z + i)`;
 * a real made complex by a cast and by `x + 0 * I`; a complex made real by
 * creal, by a cast and by assignment to a double.  FD f64/f32. */
#include <complex.h>
#ifndef REAL
#define REAL double
#endif

REAL spellings(const REAL complex *z, int n, _Complex REAL k, REAL x) {
  complex REAL a = 0;
  REAL _Complex b = (REAL complex)x;
  REAL _Complex c = x + 0 * I;
  for (int i = 0; i < n; i++) {
    a += z[i] * k;
    b = b + *(z + i) * conj(k);
    c = 0.5 * _Complex_I * z[i] + c;
  }
  REAL re = a * conj(b) / (2.0 + cabs(c)); /* the real part, as C assigns */
  return re + (REAL)(c * k) + creal(b) * cimag(a);
}
#pragma vgrad value_and_grad(spellings) argnums(0, 2, 3)

#ifdef VG_DRIVER
#include "complex_spellings.vg.h"
#include "fdcheck.h"

enum { N = 3 };
static REAL complex in_z[N] = {0.4 + 0.2 * I, -0.3 + 0.5 * I, 0.6 - 0.4 * I}, in_k = 0.7 - 0.3 * I;
static REAL in_x = 0.45;

static REAL loss(void) { return spellings(in_z, N, in_k, in_x); }

int main(void) {
  REAL complex d_z[N] = {0}, d_k = 0;
  REAL d_x = 0;
  fd_value("spellings", spellings_value_and_grad(in_z, N, in_k, in_x, d_z, &d_k, &d_x), loss());
  for (int i = 0; i < N; i++)
    fd_check_complex("d_z", i, &in_z[i], d_z[i], loss);
  fd_check_complex("d_k", -1, &in_k, d_k, loss);
  fd_check("d_x", -1, &in_x, d_x, loss);
  return fd_report("complex_spellings");
}
#endif
