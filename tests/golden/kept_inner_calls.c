#include <math.h>

#ifndef REAL
#define REAL double
#endif

/* A call kept for the reverse sweep (fmod's value, for the derivative of
 * the call around it) whose argument is a call kept too: the inner one is
 * declared before it, whatever the two are (finding 5 of the random
 * generator: `'log_v' undeclared`). */

/* the reduced input */
REAL reduced(REAL w) { return erf(fmod(log(w), (REAL)0.7)); }
#pragma vgrad value_and_grad(reduced)

/* fmod of log1p, pow, asin, tanh, inside erf, sin and exp; a divisor that
 * is a call too */
REAL spellings(const REAL *x) {
  REAL s = sin(fmod(log1p(x[0]), (REAL)0.7));
  s += exp(fmod(pow(x[1], (REAL)1.5), (REAL)0.7));
  s += erf(fmod(asin(x[2]), (REAL)0.3));
  s += sin(fmod(tanh(x[3]), (REAL)0.5));
  s += exp(fmod(log(x[4]), (REAL)0.2 + tanh(x[3])));
  return s;
}
#pragma vgrad value_and_grad(spellings)

/* in a loop, where the forward sweep's values are taped */
REAL looped(const REAL *x, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++) {
    s += erf(fmod(log(x[i] + 1), (REAL)0.7));
    s = s * (REAL)0.9 + sin(fmod(tanh(x[i] * s), (REAL)0.4));
  }
  return s;
}
#pragma vgrad value_and_grad(looped) argnums(0)

#ifdef VG_DRIVER
#include "kept_inner_calls.vg.h"
#include "fdcheck.h"

static REAL in_w = 1.7;
static REAL in_x[5] = {0.6, 1.8, 0.45, 0.8, 1.3};
static REAL in_l[4] = {1.7, 0.6, 1.2, 0.45};

static REAL loss_reduced(void) { return reduced(in_w); }
static REAL loss_spellings(void) { return spellings(in_x); }
static REAL loss_looped(void) { return looped(in_l, 4); }

int main(void) {
  REAL d_w = 0;
  fd_value("reduced", reduced_value_and_grad(in_w, &d_w), loss_reduced());
  fd_check("reduced d_w", 0, &in_w, (double)d_w, loss_reduced);

  REAL d_x[5] = {0};
  fd_value("spellings", spellings_value_and_grad(in_x, d_x), loss_spellings());
  fd_check_array("spellings d_x", in_x, d_x, 5, loss_spellings);

  REAL d_l[4] = {0};
  fd_value("looped", looped_value_and_grad(in_l, 4, d_l), loss_looped());
  fd_check_array("looped d_x", in_l, d_l, 4, loss_looped);
  return fd_report("kept_inner_calls");
}
#endif
