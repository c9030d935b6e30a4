/* optional_ternary: optional arrays chosen inside expressions,
 * `bias ? bias[o] : 0.0` and `gain != NULL ? tanh(gain[o] * v) : v`, and
 * an early return `if (bias == 0)`.  In the reverse sweep the adjoint of
 * each `?:` takes the same branch, so d_bias and d_gain are touched only
 * when their arrays are there; the tanh of a branch is computed in that
 * branch only (kept before the statement, as calls elsewhere are, it read
 * gain[o] with gain NULL); with the plain `grad` of bias alone, a NULL bias
 * and a NULL d_bias give no gradient at all.
 *
 * The driver runs the four combinations of NULL and real arrays through
 * both generated functions and checks them against finite differences,
 * passing a buffer that must stay zero for one NULL array. */
#include <math.h>
#include <stddef.h>
#ifndef REAL
#define REAL double
#endif

REAL affine(const REAL *w, const REAL *bias, const REAL *gain, const REAL *x, int n) {
  REAL s = 0;
  for (int o = 0; o < n; o++) {
    REAL v = w[o] * x[o] + (bias ? bias[o] : 0.0);
    REAL g = gain != NULL ? tanh(gain[o] * v) : v;
    s += g * g;
  }
  if (bias == 0)
    return s;
  return s + 0.5 * bias[0] * bias[n - 1];
}
#pragma vgrad value_and_grad(affine) argnums(0, 1, 2)
#pragma vgrad grad(affine) argnames(bias) name(affine_bias_grad)

#ifdef VG_DRIVER
#include "optional_ternary.vg.h"
#include "fdcheck.h"

#define N 3
static REAL in_w[N] = {0.7, -1.2, 0.4}, in_bias[N] = {0.3, 0.6, -0.5}, in_gain[N] = {1.5, -0.8, 0.9};
static REAL in_x[N] = {1.1, 0.5, -0.7};
static const REAL *bias, *gain; /* in_bias or NULL, in_gain or NULL */
static REAL loss(void) { return affine(in_w, bias, gain, in_x, N); }

int main(void) {
  for (int k = 0; k < 4; k++) {
    bias = k & 1 ? in_bias : NULL;
    gain = k & 2 ? in_gain : NULL;
    REAL d_w[N] = {0}, d_bias[N] = {0}, d_gain[N] = {0}, d_bias_only[N] = {0};
    /* a NULL bias gets a NULL gradient, a NULL gain a buffer */
    REAL value = affine_value_and_grad(in_w, bias, gain, in_x, N, d_w, bias ? d_bias : NULL, d_gain);
    affine_bias_grad(in_w, bias, gain, in_x, N, bias ? d_bias_only : NULL);
    printf("bias %s, gain %s: value %.6f\n", bias ? "given" : "NULL", gain ? "given" : "NULL", (double)value);
    fd_value("value", value, loss());
    fd_check_array("d_w", in_w, d_w, N, loss);
    if (bias) {
      fd_check_array("d_bias", in_bias, d_bias, N, loss);
      for (int i = 0; i < N; i++)
        fd_same("affine_bias_grad", i, d_bias_only[i], d_bias[i]);
    }
    if (gain) {
      fd_check_array("d_gain", in_gain, d_gain, N, loss);
    } else {
      for (int i = 0; i < N; i++)
        fd_same("d_gain of NULL", i, d_gain[i], 0);
    }
  }
  return fd_report("optional_ternary");
}
#endif
