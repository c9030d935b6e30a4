/* complex_holomorphic: the holomorphic clause (JAX's holomorphic=True).
 * The loss is complex, every selected input complex, and d_z receives
 * the complex derivative f'(z) (accumulated, as every gradient output).
 * mobius: a rotation and a Horner polynomial in helpers (inlined, a loop
 * over a complex array), a Moebius division, cexp clog csqrt cpow csin
 * ccos; value_and_grad w.r.t. z and the coefficient array, grad w.r.t. z
 * alone under its own name.  The driver checks each f'(z) against the four
 * partial derivatives of Re f and Im f (fdcheck.h, fd_check_holomorphic),
 * float64 and float32. */
#include <complex.h>
#ifndef REAL
#define REAL double
#endif

static REAL complex rotate(REAL complex z, REAL t) { return z * cexp(I * t); }

static REAL complex horner(const REAL complex *c, int n, REAL complex z) {
  REAL complex p = 0;
  for (int i = n - 1; i >= 0; i--)
    p = p * z + c[i];
  return p;
}

REAL complex mobius(REAL complex z, const REAL complex *c, int n) {
  REAL complex w = rotate(z, 0.3);
  REAL complex m = (w - 0.5 * I) / (2.0 + 0.25 * w);
  REAL complex s = csqrt(m + 3.0) + clog(w + 2.5) * cpow(w + 2.0, 0.5 + 0.25 * I);
  return horner(c, n, m) + s * csin(m) - ccos(w) / 3.0;
}
#pragma vgrad value_and_grad(mobius) argnums(0, 1) holomorphic
#pragma vgrad grad(mobius) argnames(z) holomorphic name(mobius_dz)

#ifdef VG_DRIVER
#include "complex_holomorphic.vg.h"
#include "fdcheck.h"

enum { N = 4 };
static REAL complex in_z = 0.4 + 0.3 * I;
static REAL complex in_c[N] = {1.0 - 0.5 * I, 0.3 + 0.2 * I, -0.7 + 0.1 * I, 0.2 - 0.4 * I};

static REAL re_loss(void) { return creal(mobius(in_z, in_c, N)); }
static REAL im_loss(void) { return cimag(mobius(in_z, in_c, N)); }

int main(void) {
  REAL complex d_z = 0, d_c[N] = {0};
  REAL complex v = mobius_value_and_grad(in_z, in_c, N, &d_z, d_c);
  REAL complex want = mobius(in_z, in_c, N);
  fd_value("value.re", creal(v), creal(want));
  fd_value("value.im", cimag(v), cimag(want));
  fd_check_holomorphic("d_z", -1, &in_z, d_z, re_loss, im_loss);
  for (int i = 0; i < N; i++)
    fd_check_holomorphic("d_c", i, &in_c[i], d_c[i], re_loss, im_loss);
  REAL complex g_z = 0.5; /* accumulated: starts at 0.5 */
  mobius_dz(in_z, in_c, N, &g_z);
  fd_same("mobius_dz.re", -1, creal(g_z) - 0.5, creal(d_z));
  fd_same("mobius_dz.im", -1, cimag(g_z), cimag(d_z));
  return fd_report("complex_holomorphic");
}
#endif
