/* jvp_pointer_vla: in forward mode, a pointer that moves between a local
 * array holding values of the selected input and a variable-length array
 * holding values that do not depend on it (random seed 47). The second
 * array gets a tangent of zeros, so that the pointer's tangent has memory
 * to point into whichever array it points at; before, jvp refused it
 * ("pointer 'p' pointing at memory of no tangent"). Spellings: if/else, ?:,
 * and a walk that starts in one array and continues in the other.
 *
 * The driver checks the value exactly and the tangent against central
 * differences of the original along the direction, float64 and float32,
 * with tests/fdcheck.h's steps and tolerances (|g - n| <= 1e-6 + 1e-5
 * max(|g|,|n|) for double, 2e-3 + 2e-2 max(...) for float), for n = 3..6
 * (both parities: both branches). */
#include <math.h>
/* gcc does not see that the loops above fill w2[n - 1] (n >= 3) */
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#ifndef REAL
#define REAL double
#endif

REAL jvp_pointer_vla(const REAL *x, const REAL *c, int n) {
  REAL m[8];
  for (int i = 0; i < n; i++)
    m[i] = sin(x[i]);
  REAL w2[n];
  for (int i = 0; i < n; i++)
    w2[i] = c[i % 3] * (REAL)(i + 1);
  const REAL *p;
  if (n % 2 == 0)
    p = m;
  else
    p = w2 + 1;
  REAL acc = tanh(p[0] * p[n - 2]) + w2[n - 1];
  const REAL *q = n > 3 ? w2 : m + 1;
  acc += q[0] * x[1];
  const REAL *r = m;
  for (int i = 0; i < 2 * n; i++) {
    acc += (REAL)0.1 * cos(*r) * x[i % n];
    r++;
    if (i == n - 1)
      r = w2;
  }
  return acc;
}
#pragma vgrad jvp(jvp_pointer_vla) argnums(0)

#ifdef VG_DRIVER
#include "jvp_pointer_vla.vg.h"
#include "fdcheck.h"

static REAL in_x[6] = {0.4, -0.8, 1.2, 0.3, -0.5, 0.9}, dir_x[6] = {0.9, 0.2, -0.5, 0.7, 0.3, -0.4};
static REAL in_c[3] = {0.3, -0.6, 0.8};
static int in_n;

static double along(REAL eps, int index) {
  (void)index;
  REAL x[6];
  for (int i = 0; i < 6; i++)
    x[i] = in_x[i] + eps * dir_x[i];
  return jvp_pointer_vla(x, in_c, in_n);
}

int main(void) {
  for (in_n = 3; in_n <= 6; in_n++) {
    REAL t_ret = -99;
    REAL v = jvp_pointer_vla_jvp(in_x, in_c, in_n, dir_x, &t_ret);
    fd_value("value", v, jvp_pointer_vla(in_x, in_c, in_n));
    fd_check_tangent("t_ret", in_n, t_ret, along);
  }
  return fd_report("jvp_pointer_vla");
}
#endif
