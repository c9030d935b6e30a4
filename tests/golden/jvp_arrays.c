/* jvp_arrays: forward mode over arrays: a dot product, a norm, and a
 * softmax-like log-sum-exp with its maximum subtracted (fmax picks it), a
 * local array of exponentials, and a pointer walking an array parameter.
 * Every array parameter selected (argnums(all)); the tangent checked
 * against the directional difference along a random-looking direction. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL jvp_arrays(const REAL *a, const REAL *b, int n) {
  REAL dot = 0, norm2 = 0, top = a[0];
  for (int i = 0; i < n; i++) {
    dot += a[i] * b[i];
    norm2 += b[i] * b[i];
    top = fmax(top, a[i]);
  }
  REAL e[8], sum = 0;
  for (int i = 0; i < n; i++) {
    e[i] = exp(a[i] - top);
    sum += e[i];
  }
  REAL lse = top + log(sum), spread = 0;
  const REAL *p = b;
  for (int i = 0; i < n; i++, p++)
    spread += e[i] / sum * *p;
  return dot / sqrt(norm2) + lse - spread;
}
#pragma vgrad jvp(jvp_arrays) argnums(all)

#ifdef VG_DRIVER
#include "jvp_arrays.vg.h"
#include "fdcheck.h"

enum { N = 5 };
static REAL in_a[N] = {0.3, -1.2, 0.8, 2.0, -0.1}, in_b[N] = {1.1, 0.4, -0.7, 0.2, 0.9};
static REAL dir_a[N], dir_b[N];

static double along(REAL eps, int index) {
  (void)index;
  REAL a[N], b[N];
  for (int i = 0; i < N; i++) {
    a[i] = in_a[i] + eps * dir_a[i];
    b[i] = in_b[i] + eps * dir_b[i];
  }
  return jvp_arrays(a, b, N);
}

int main(void) {
  for (int round = 0; round < 3; round++) {
    for (int i = 0; i < N; i++) {
      dir_a[i] = (REAL)sin(1.7 * i + round);
      dir_b[i] = (REAL)cos(0.9 * i - 2.0 * round);
    }
    REAL t_ret = -99;
    REAL v = jvp_arrays_jvp(in_a, in_b, N, dir_a, dir_b, &t_ret);
    fd_value("value", v, jvp_arrays(in_a, in_b, N));
    fd_check_tangent("t_ret", -1, t_ret, along);
  }
  return fd_report("jvp_arrays");
}
#endif
