/* hvp_struct: hvp of losses with a local struct holding a pointer to the
 * data it allocates (as llm.c's and hand-tracking code keep matrices), the
 * struct copied as a whole: vgradcc differentiates f's jvp, in which the
 * struct's pointer member is already a variable of its own, a second time
 * (random seed 99: the copy made that member a variable again, set and
 * never read, and gcc warned -Wunused-but-set-variable).  The driver
 * checks the value, every d_ entry against central differences of f and
 * every h_ entry against central differences of the gradient along t,
 * float64 and float32, with tests/fdcheck.h's steps and tolerances. */
#include <math.h>
#include <stdlib.h>

#ifndef REAL
#define REAL double
#endif

typedef struct {
  int n;
  REAL *data;
} Mat;

static Mat mat_new(int n) {
  Mat m;
  m.n = n;
  m.data = calloc((size_t)n, sizeof(REAL));
  return m;
}

REAL mat_energy(const REAL *x, REAL a, int n) {
  Mat m = mat_new(n);
  for (int i = 0; i < m.n; i++)
    m.data[i] = a * sin(x[i]) + x[(i + 1) % n] * x[i];
  Mat view = m;
  REAL s = 0;
  for (int i = 0; i < view.n; i++)
    s += m.data[i] * m.data[i] + exp((REAL)0.1 * m.data[i]);
  free(m.data);
  return s;
}
#pragma vgrad hvp(mat_energy) argnums(0, 1)

#ifdef VG_DRIVER
#include "fdcheck.h"
#include "hvp_struct.vg.h"

enum { N = 5 };
static REAL in_x[N] = {0.5, -0.9, 1.3, 0.4, -0.2}, in_a = 0.8, dir_x[N] = {0.3, -1.1, 0.6, 0.25, 0.9}, dir_a = -0.7;

static REAL energy(void) { return mat_energy(in_x, in_a, N); }

/* the gradient at the inputs moved by eps along the direction, from the hvp */
static double grad_along(REAL eps, int index) {
  REAL x[N], d[N] = {0}, h[N] = {0}, d_a = 0, h_a = 0;
  for (int i = 0; i < N; i++)
    x[i] = in_x[i] + eps * dir_x[i];
  mat_energy_hvp(x, in_a + eps * dir_a, N, dir_x, dir_a, d, &d_a, h, &h_a);
  return index < N ? d[index] : d_a;
}

int main(void) {
  REAL d[N] = {0}, h[N] = {0}, d_a = 0, h_a = 0;
  fd_value("mat_energy_hvp", mat_energy_hvp(in_x, in_a, N, dir_x, dir_a, d, &d_a, h, &h_a), energy());
  fd_check_array("mat_energy_hvp d_x", in_x, d, N, energy);
  fd_check("mat_energy_hvp d_a", -1, &in_a, d_a, energy);
  for (int i = 0; i < N; i++)
    fd_check_tangent("mat_energy_hvp h_x", i, h[i], grad_along);
  fd_check_tangent("mat_energy_hvp h_a", N, h_a, grad_along);
  return fd_report("hvp_struct");
}
#endif
