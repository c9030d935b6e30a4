/* complex_stop_gradient: vg_stop_gradient on complex values (vgrad.h's
 * _Generic selects vg_stop_gradient_c64 or _c32): the value passes, the
 * derivative does not, in value_and_grad and in jvp.  A phase normalised
 * by its stopped modulus, and a straight-through z - stop(z) + stop(z).
 * FD f64/f32, the driver's differences holding every stopped value at the
 * point checked (as golden/stop_gradient does). */
#include <complex.h>

#include "../../runtime/vgrad.h"
#ifndef REAL
#define REAL double
#endif

#ifdef VG_DRIVER
static int sg_replay, sg_count;
static REAL complex sg_values[16];
static REAL complex sg_frozen(REAL complex e) {
  if (sg_count >= 16)
    return e;
  if (!sg_replay)
    sg_values[sg_count] = e;
  return sg_values[sg_count++];
}
#undef vg_stop_gradient
#define vg_stop_gradient(e) sg_frozen(e)
#endif

REAL phase(const REAL complex *z, int n, REAL complex k) {
  REAL s = 0;
  for (int i = 0; i < n; i++) {
    REAL complex w = z[i] * k;
    REAL complex unit = w / vg_stop_gradient(w + 0.5);
    s += creal(unit * conj(k)) + cimag(w - vg_stop_gradient(w) + vg_stop_gradient(w * w));
  }
  return s;
}
#pragma vgrad value_and_grad(phase) argnums(0, 2)
#pragma vgrad jvp(phase) argnums(0, 2)

#ifdef VG_DRIVER
#include "complex_stop_gradient.vg.h"
#include "fdcheck.h"

enum { N = 3 };
static REAL complex in_z[N] = {0.4 + 0.3 * I, -0.2 + 0.6 * I, 0.7 - 0.1 * I}, in_k = 0.9 - 0.4 * I;
static REAL complex t_z[N] = {0.1 + 0.2 * I, -0.3 + 0.1 * I, 0.2 - 0.2 * I}, t_k = 0.3 + 0.1 * I;

static REAL loss(void) {
  sg_count = 0;
  sg_replay = 1;
  return phase(in_z, N, in_k);
}

static double along(REAL eps, int index) {
  (void)index;
  REAL complex z[N];
  for (int i = 0; i < N; i++)
    z[i] = in_z[i] + eps * t_z[i];
  sg_count = 0;
  sg_replay = 1;
  return phase(z, N, in_k + eps * t_k);
}

int main(void) {
  sg_count = 0;
  sg_replay = 0;
  REAL want = phase(in_z, N, in_k); /* records the stopped values */
  REAL complex d_z[N] = {0}, d_k = 0;
  fd_value("phase", phase_value_and_grad(in_z, N, in_k, d_z, &d_k), want);
  for (int i = 0; i < N; i++)
    fd_check_complex("d_z", i, &in_z[i], d_z[i], loss);
  fd_check_complex("d_k", -1, &in_k, d_k, loss);
  REAL t_ret;
  fd_value("jvp value", phase_jvp(in_z, N, in_k, t_z, t_k, &t_ret), want);
  fd_check_tangent("t_ret", -1, t_ret, along);
  return fd_report("complex_stop_gradient");
}
#endif
