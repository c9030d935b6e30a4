/* pointer_pingpong: two buffers that swap roles every step, as in time
 * stepping and iterative solvers: `tmp = cur; cur = nxt; nxt = tmp;`.
 * An explicit heat equation on local arrays, then Jacobi sweeps on heap
 * buffers whose roles are chosen by the step's parity instead.  Each
 * adjoint pointer swaps with its pointer, and the reverse sweep restores
 * both from the tape. */
#ifndef REAL
#define REAL double
#endif
#include <stdlib.h>

REAL pointer_pingpong(const REAL *u0, const REAL *k, int n, int steps) {
  REAL buf_a[6], buf_b[6];
  REAL *cur = buf_a, *nxt = buf_b;
  for (int i = 0; i < n; i++)
    cur[i] = u0[i];
  for (int t = 0; t < steps; t++) {
    nxt[0] = cur[0];
    nxt[n - 1] = cur[n - 1];
    for (int i = 1; i + 1 < n; i++)
      nxt[i] = cur[i] + k[0] * (cur[i - 1] - 2 * cur[i] + cur[i + 1]);
    REAL *tmp = cur;
    cur = nxt;
    nxt = tmp;
  }
  /* Jacobi-like sweeps x <- (b - k1 * (left + right)) / 4 on heap buffers */
  REAL *x0 = malloc(n * sizeof(REAL));
  REAL *x1 = malloc(n * sizeof(REAL));
  for (int i = 0; i < n; i++)
    x0[i] = 0;
  for (int it = 0; it < 3; it++) {
    REAL *from = it % 2 ? x1 : x0;
    REAL *to = it % 2 ? x0 : x1;
    for (int i = 0; i < n; i++) {
      REAL left = i > 0 ? from[i - 1] : 0, right = i + 1 < n ? from[i + 1] : 0;
      to[i] = (cur[i] - k[1] * (left + right)) / 4;
    }
  }
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += x1[i] * x1[i] + cur[i];
  free(x0);
  free(x1);
  return s;
}
#pragma vgrad value_and_grad(pointer_pingpong) argnums(0, 1)

#ifdef VG_DRIVER
#include "pointer_pingpong.vg.h"
#include "fdcheck.h"

static REAL in_u0[6] = {0.1, 0.8, -0.3, 0.6, 0.2, -0.5};
static REAL in_k[2] = {0.2, 0.35};
static int in_steps;
static REAL loss(void) { return pointer_pingpong(in_u0, in_k, 6, in_steps); }

int main(void) {
  for (in_steps = 4; in_steps <= 5; in_steps++) { /* the result in buf_a, then in buf_b */
    REAL d_u0[6] = {0}, d_k[2] = {0};
    REAL v = pointer_pingpong_value_and_grad(in_u0, in_k, 6, in_steps, d_u0, d_k);
    fd_value("value", v, loss());
    fd_check_array("d_u0", in_u0, d_u0, 6, loss);
    fd_check_array("d_k", in_k, d_k, 2, loss);
  }
  return fd_report("pointer_pingpong");
}
#endif
