/* complex_jvp_vjp: forward mode and vector-Jacobian products through
 * complex values.  field writes a complex output array and returns a real
 * sum.  jvp: tangents of complex inputs are complex (dx + i dy), t_ret
 * real, t_out complex, checked against directional differences of both
 * parts.  vjp: the cotangent ct of a complex output y pairs with it as
 * Re(ct * y), so d_z is the gradient (df/dx - i df/dy) of
 * ct_ret * f + sum_j Re(ct_out[j] * out[j]); checked against central
 * differences of that sum.  float64 and float32. */
#include <complex.h>
#ifndef REAL
#define REAL double
#endif

REAL field(const REAL complex *z, int n, REAL complex k, REAL complex *out) {
  REAL acc = 0;
  for (int i = 0; i < n; i++) {
    out[i] = cexp(k * z[i]) / (1.0 + z[i] * conj(z[i]));
    acc += cabs(out[i]) + cimag(out[i] * k);
  }
  return acc;
}
#pragma vgrad jvp(field) argnums(0, 2) outputs(out)
#pragma vgrad vjp(field) argnums(0, 2) outputs(out)

#ifdef VG_DRIVER
#include "complex_jvp_vjp.vg.h"
#include "fdcheck.h"

enum { N = 3 };
static REAL complex in_z[N] = {0.5 + 0.2 * I, -0.3 + 0.6 * I, 0.8 - 0.1 * I}, in_k = 0.4 - 0.7 * I;
static REAL complex t_z[N] = {0.3 - 0.1 * I, 0.2 + 0.5 * I, -0.4 + 0.1 * I}, t_k = -0.2 + 0.3 * I;
static REAL complex ct_out[N] = {0.5 - 0.5 * I, 1.0 + 0.2 * I, -0.3 + 0.4 * I};
static REAL ct_ret = 0.7;
static REAL complex out[N];

/* field at the inputs moved by eps along the tangents: the return value
 * (index -1), or the real (2j) or imaginary (2j + 1) part of out[j] */
static double along(REAL eps, int index) {
  REAL complex z[N], o[N];
  for (int i = 0; i < N; i++)
    z[i] = in_z[i] + eps * t_z[i];
  REAL f = field(z, N, in_k + eps * t_k, o);
  if (index < 0)
    return f;
  return index % 2 ? cimag(o[index / 2]) : creal(o[index / 2]);
}

static REAL paired(void) {
  REAL s = ct_ret * field(in_z, N, in_k, out);
  for (int j = 0; j < N; j++)
    s += creal(ct_out[j] * out[j]);
  return s;
}

int main(void) {
  REAL t_ret, t_out[N * 2];
  REAL complex tangent_out[N];
  REAL v = field_jvp(in_z, N, in_k, out, t_z, t_k, &t_ret, tangent_out);
  fd_value("jvp value", v, field(in_z, N, in_k, out));
  fd_check_tangent("t_ret", -1, t_ret, along);
  for (int j = 0; j < N; j++) {
    t_out[2 * j] = creal(tangent_out[j]);
    t_out[2 * j + 1] = cimag(tangent_out[j]);
  }
  for (int j = 0; j < 2 * N; j++)
    fd_check_tangent("t_out (re, im)", j, t_out[j], along);

  REAL complex d_z[N] = {0}, d_k = 0;
  REAL w = field_vjp(in_z, N, in_k, out, ct_ret, ct_out, d_z, &d_k);
  fd_value("vjp value", w, field(in_z, N, in_k, out));
  for (int i = 0; i < N; i++)
    fd_check_complex("d_z", i, &in_z[i], d_z[i], paired);
  fd_check_complex("d_k", -1, &in_k, d_k, paired);
  return fd_report("complex_jvp_vjp");
}
#endif
