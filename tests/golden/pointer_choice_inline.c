/* pointer_choice_inline: a choice between arrays used in place, without a
 * pointer variable: read `(flip ? w : v)[i]`, written `(i % 2 ? w : v)[i]
 * = ...`, through pointer arithmetic `*((flip ? w : v) + 1)` and in a
 * condition.  vgradcc crashed on these (the adjoint of a choice had no
 * place); each choice now goes into a pointer variable of its own before
 * its statement, which is the form `p = c ? w : v` whose adjoint pointer
 * vgradcc follows.  value_and_grad and hvp; the driver checks values and
 * gradients against central differences and the hvp's Hessian-vector
 * product against central differences of its gradient, double and float,
 * with tests/fdcheck.h's tolerances. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL inline_choice(const REAL *x, int n, int flip) {
  REAL w[8] = {0}, v[8] = {0};
  for (int i = 0; i < n; i++) {
    w[i] = x[i] * x[i];
    v[i] = sin(x[i]);
  }
  REAL acc = 0;
  for (int i = 0; i < n; i++)
    acc += cos((flip ? w : v)[i]) * x[i];
  for (int i = 0; i < n; i++)
    (i % 2 ? w : v)[i] = 0.5 * (i % 2 ? w : v)[i] + tanh(x[i]);
  acc += *((flip ? w : v) + 1) * w[0];
  if ((flip ? v : w)[0] > 10)
    acc += 1;
  for (int i = 0; i < n; i++)
    acc += w[i] * v[i];
  return acc;
}
#pragma vgrad value_and_grad(inline_choice) argnums(0)
#pragma vgrad hvp(inline_choice) argnames(x)

#ifdef VG_DRIVER
#include "fdcheck.h"
#include "pointer_choice_inline.vg.h"

enum { N = 5 };
static REAL in_x[N] = {0.5, -0.9, 1.3, 0.4, -0.2}, dir_x[N] = {0.3, -1.1, 0.6, 0.25, 0.7};
static int flip;

static REAL loss(void) { return inline_choice(in_x, N, flip); }

static double grad_along(REAL eps, int index) {
  REAL x[N], d[N] = {0}, h[N] = {0};
  for (int i = 0; i < N; i++)
    x[i] = in_x[i] + eps * dir_x[i];
  inline_choice_hvp(x, N, flip, dir_x, d, h);
  return d[index];
}

int main(void) {
  for (flip = 0; flip < 2; flip++) {
    REAL d[N] = {0}, dh[N] = {0}, h[N] = {0};
    fd_value("inline_choice", inline_choice_value_and_grad(in_x, N, flip, d), loss());
    fd_check_array("inline_choice d_x", in_x, d, N, loss);
    fd_value("inline_choice_hvp", inline_choice_hvp(in_x, N, flip, dir_x, dh, h), loss());
    fd_check_array("inline_choice_hvp d_x", in_x, dh, N, loss);
    for (int i = 0; i < N; i++)
      fd_check_tangent("inline_choice_hvp h_x", i, h[i], grad_along);
  }
  return fd_report("pointer_choice_inline");
}
#endif
