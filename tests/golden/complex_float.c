/* complex_float: float complex whatever REAL is, with the float spellings
 * (cexpf, cabsf, conjf, crealf, ...): complex values on the tape's float
 * stack (vg_tape_push_c32), float constants in the partials, the real part
 * of a complex adjoint taken with crealf.  value_and_grad and jvp, FD. */
#include <complex.h>

float ringf(const float complex *z, int n, float complex a, float g) {
  float complex u = 1.0f;
  float total = 0.0f;
  for (int i = 0; i < n; i++) {
    u = u * (z[i] + a) / (1.0f + 0.5f * cabsf(u));
    u = u + g * csinf(u) - 0.1f * ccosf(conjf(u)) * I;
    total += crealf(u * u) + cimagf(clogf(u + 2.0f)) + cabsf(csqrtf(u + 2.0f) - cexpf(a * g));
  }
  return total + crealf(cpowf(u + 2.0f, a));
}
#pragma vgrad value_and_grad(ringf) argnums(0, 2, 3)
#pragma vgrad jvp(ringf) argnums(0, 2, 3)

#ifdef VG_DRIVER
#include "complex_float.vg.h"
#undef REAL
#define REAL float /* this case is float whatever REAL says */
#include "fdcheck.h"

enum { N = 3 };
static float complex in_z[N] = {0.3f + 0.2f * I, -0.4f + 0.1f * I, 0.2f - 0.3f * I};
static float complex in_a = 0.5f - 0.2f * I;
static float in_g = 0.4f;
static float complex t_z[N] = {0.2f - 0.1f * I, 0.4f + 0.3f * I, -0.1f + 0.2f * I}, t_a = 0.3f + 0.1f * I;
static float t_g = -0.5f;

static float loss(void) { return ringf(in_z, N, in_a, in_g); }

static double along(float eps, int index) {
  (void)index;
  float complex z[N];
  for (int i = 0; i < N; i++)
    z[i] = in_z[i] + eps * t_z[i];
  return ringf(z, N, in_a + eps * t_a, in_g + eps * t_g);
}

int main(void) {
  float complex d_z[N] = {0}, d_a = 0;
  float d_g = 0;
  float v = ringf_value_and_grad(in_z, N, in_a, in_g, d_z, &d_a, &d_g);
  fd_value("value", v, loss());
  for (int i = 0; i < N; i++)
    fd_check_complex("d_z", i, &in_z[i], d_z[i], loss);
  fd_check_complex("d_a", -1, &in_a, d_a, loss);
  fd_check("d_g", -1, &in_g, d_g, loss);
  float t_ret;
  float w = ringf_jvp(in_z, N, in_a, in_g, t_z, t_a, t_g, &t_ret);
  fd_value("jvp value", w, loss());
  fd_check_tangent("t_ret", -1, t_ret, along);
  return fd_report("complex_float");
}
#endif
