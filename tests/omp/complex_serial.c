// expect-warning: 20:1: warning: '#pragma omp parallel for reduction(+: s)' runs serially in the gradient of 'complex_serial': its adjoints are complex, which OpenMP cannot update atomically or reduce
/* omp/complex_serial: a parallel loop over complex values.  OpenMP has no
 * atomic update or reduction of a complex adjoint, so the loop runs
 * serially in the gradient, with a warning saying why; the forward keeps
 * the pragma, and the gradient is the same with 1, 2 and 4 threads.
 * FD f64/f32 of both parts of each complex gradient (omp_check.h,
 * fd_check_complex). */
#include <complex.h>
#ifndef REAL
#define REAL double
#endif

REAL complex_serial(const REAL complex *z, int n, REAL complex k) {
  REAL s = 0;
  REAL complex field[8] = {0};
  for (int i = 0; i < n; i++)
    field[i % 8] += z[i] * k;
  for (int j = 0; j < 8; j++)
    field[j] = field[j] / (1.0 + 0.5 * cabs(field[j]));
#pragma omp parallel for reduction(+: s)
  for (int i = 0; i < n; i++) {
    REAL complex w = z[i] * conj(field[i % 8]) + k;
    s += creal(w * w) + cabs(w) - cimag(w) * 0.5;
  }
  return s;
}
#pragma vgrad value_and_grad(complex_serial) argnums(0, 2)

#ifdef VG_DRIVER
#include "complex_serial.vg.h"
#include "omp_check.h"

#define N 13
static REAL complex in_z[N], in_k = 0.3 - 0.4 * I;
static REAL loss(void) { return complex_serial(in_z, N, in_k); }

static void gradient(REAL *g) { /* the parts of d_z, then of d_k */
  REAL complex d_z[N] = {0}, d_k = 0;
  complex_serial_value_and_grad(in_z, N, in_k, d_z, &d_k);
  for (int i = 0; i < N; i++) {
    g[2 * i] = creal(d_z[i]);
    g[2 * i + 1] = cimag(d_z[i]);
  }
  g[2 * N] = creal(d_k);
  g[2 * N + 1] = cimag(d_k);
}

int main(void) {
  for (int i = 0; i < N; i++)
    in_z[i] = (REAL)0.11 * (REAL)(i % 6) - (REAL)0.25 + (REAL)0.07 * (REAL)(i % 4) * I;
  REAL complex d_z[N] = {0}, d_k = 0;
  omp_value("complex_serial", complex_serial_value_and_grad(in_z, N, in_k, d_z, &d_k), loss());
  for (int i = 0; i < N; i++)
    fd_check_complex("d_z", i, &in_z[i], d_z[i], loss);
  fd_check_complex("d_k", -1, &in_k, d_k, loss);
  omp_same_across_threads("gradient", 2 * N + 2, gradient);
  return fd_report("complex_serial");
}
#endif
