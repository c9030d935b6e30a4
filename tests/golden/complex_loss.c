/* complex_loss: a real loss of complex inputs (C99 <complex.h>), the way
 * signal-processing and quantum codes write one.  The gradient of a
 * complex input z = x + iy is df/dx - i df/dy (JAX's convention), in a
 * `double _Complex *d_z`.
 *
 * chirp: a complex array, a complex and a real scalar; complex locals
 *   overwritten in a loop (taped), every supported operation and function
 *   (+ - * / conj creal cimag cabs cexp clog csqrt cpow csin ccos, I), real
 *   values computed from complex ones and complex from real.
 * spectrum: writes the caller's complex buffer (restored and put back by the
 *   reverse sweep), walks it with a pointer, reads a struct's complex member,
 *   and its parts with GNU's __real__ and __imag__ as well as creal, cimag.
 * The driver checks both parts of each gradient against central finite
 * differences (fdcheck.h, fd_check_complex), float64 and float32, and
 * grad against value_and_grad. */
#include <complex.h>

#include "complex_loss.h"

REAL chirp(const REAL complex *z, int n, REAL complex k, REAL s) {
  REAL complex acc = 0;
  REAL complex phase = 1;
  REAL energy = 0;
  for (int i = 0; i < n; i++) {
    phase = phase * cexp(I * k * s) / (1.0 + 0.1 * cabs(phase));
    acc = acc + z[i] * conj(phase) - csqrt(z[i] + 2.0) / (k + 3.0);
    energy += creal(acc * conj(acc)) * s + cimag(clog(z[i] + 1.5)) - creal(cpow(z[i] + 2.0, k));
  }
  REAL complex tail = csin(acc) * ccos(k * s) + (REAL)n * I;
  return energy / n + cabs(tail) + creal(tail * I) * s;
}
#pragma vgrad value_and_grad(chirp) argnums(0, 2, 3)
#pragma vgrad grad(chirp) argnames(z, k, s)

REAL spectrum(const REAL complex *x, int n, struct Mode m, REAL complex work[n]) {
  for (int i = 0; i < n; i++)
    work[i] = x[i] * m.amp;
  for (int i = 1; i < n; i++)
    work[i] = work[i] + work[i - 1] * m.damping;
  REAL total = 0;
  const REAL complex *p = work;
  for (int i = 0; i < n; i++, p++)
    total += creal(*p) * __real__ *p - __imag__ *p + cabs(*p - m.amp);
  return total;
}
#pragma vgrad value_and_grad(spectrum) argnames(x, m)

#ifdef VG_DRIVER
#include "complex_loss.vg.h"
#include "fdcheck.h"

enum { N = 4 };
static REAL complex in_z[N] = {0.3 + 0.2 * I, -0.4 + 0.5 * I, 0.6 - 0.3 * I, 0.1 + 0.7 * I};
static REAL complex in_k = 0.8 - 0.3 * I;
static REAL in_s = 0.6;

static REAL chirp_loss(void) { return chirp(in_z, N, in_k, in_s); }

static REAL complex in_x[N] = {0.5 - 0.1 * I, 0.2 + 0.4 * I, -0.3 + 0.3 * I, 0.7 + 0.2 * I};
static struct Mode in_m = {0.9 + 0.4 * I, 0.7};
static REAL complex work[N];

static REAL spectrum_loss(void) { return spectrum(in_x, N, in_m, work); }

int main(void) {
  REAL complex d_z[N] = {0}, d_k = 0;
  REAL d_s = 0;
  REAL v = chirp_value_and_grad(in_z, N, in_k, in_s, d_z, &d_k, &d_s);
  fd_value("chirp", v, chirp_loss());
  for (int i = 0; i < N; i++)
    fd_check_complex("d_z", i, &in_z[i], d_z[i], chirp_loss);
  fd_check_complex("d_k", -1, &in_k, d_k, chirp_loss);
  fd_check("d_s", -1, &in_s, d_s, chirp_loss);
  REAL complex g_z[N] = {0}, g_k = 0;
  REAL g_s = 0;
  chirp_grad(in_z, N, in_k, in_s, g_z, &g_k, &g_s);
  for (int i = 0; i < N; i++) {
    fd_same("grad d_z.re", i, creal(g_z[i]), creal(d_z[i]));
    fd_same("grad d_z.im", i, cimag(g_z[i]), cimag(d_z[i]));
  }
  fd_same("grad d_k.re", -1, creal(g_k), creal(d_k));
  fd_same("grad d_k.im", -1, cimag(g_k), cimag(d_k));
  fd_same("grad d_s", -1, g_s, d_s);

  REAL complex d_x[N] = {0};
  struct Mode d_m = {0, 0};
  REAL w = spectrum_value_and_grad(in_x, N, in_m, work, d_x, &d_m);
  REAL complex after[N];
  for (int i = 0; i < N; i++)
    after[i] = work[i];
  fd_value("spectrum", w, spectrum_loss());
  for (int i = 0; i < N; i++) { /* the caller's buffer holds what the function left in it */
    fd_exact("work.re", creal(after[i]), creal(work[i]));
    fd_exact("work.im", cimag(after[i]), cimag(work[i]));
  }
  for (int i = 0; i < N; i++)
    fd_check_complex("d_x", i, &in_x[i], d_x[i], spectrum_loss);
  fd_check_complex("d_m.amp", -1, &in_m.amp, d_m.amp, spectrum_loss);
  fd_check("d_m.damping", -1, &in_m.damping, d_m.damping, spectrum_loss);
  return fd_report("complex_loss");
}
#endif
