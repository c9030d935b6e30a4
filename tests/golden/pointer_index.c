/* pointer_index: reading elements of a pointer parameter with integer
 * index expressions built from inactive int parameters; x[5] is never
 * read, so its gradient stays 0. */
#ifndef REAL
#define REAL double
#endif

REAL pointer_index(const REAL *x, int n, int k) {
  REAL s = x[0] * x[1];
  s += x[k] * x[2 * k + 1];
  s += x[n - 1] / (1 + x[k + 1] * x[k + 1]);
  s -= x[(k + 3) % n] * 2;
  return s * x[n / 2];
}
#pragma vgrad value_and_grad(pointer_index)

#ifdef VG_DRIVER
#include "pointer_index.vg.h"
#include "fdcheck.h"

static REAL in_x[7] = {0.5, -1.2, 0.8, 1.5, -0.3, 2.0, 0.9};
static int in_n = 7, in_k = 1;
static REAL loss(void) { return pointer_index(in_x, in_n, in_k); }

int main(void) {
  REAL d_x[7] = {0};
  REAL v = pointer_index_value_and_grad(in_x, in_n, in_k, d_x);
  fd_value("value", v, pointer_index(in_x, in_n, in_k));
  fd_check_array("d_x", in_x, d_x, 7, loss);
  fd_same("d_x (never read)", 5, d_x[5], 0);

  /* Accumulation into an array gradient. */
  REAL first[7];
  for (int i = 0; i < 7; i++)
    first[i] = d_x[i];
  pointer_index_value_and_grad(in_x, in_n, in_k, d_x);
  for (int i = 0; i < 7; i++)
    fd_same("d_x after two calls", i, d_x[i], 2 * first[i]);
  return fd_report("pointer_index");
}
#endif
