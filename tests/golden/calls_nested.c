/* calls_nested: calls of helpers inside calls (f(g(x))), a helper with an
 * early return called in a loop, a static helper and one with external
 * linkage, a helper of integers only (for an index), and a printf kept only
 * for its effect: it sees no differentiated value. */
#include <math.h>
#include <stdio.h>

#ifndef REAL
#define REAL double
#endif

static REAL square(REAL v) { return v * v; }

/* Not static: the generated code still differentiates through it. */
REAL soft_sign(REAL v) { return v / sqrt(1 + v * v); }

/* The identity below hi, slope 0.1 above it. */
static REAL clipped(REAL v, REAL hi) {
  if (v > hi)
    return hi + 0.1 * (v - hi);
  return v;
}

static int wrap(int i, int n) { return (i % n + n) % n; }

REAL calls_nested(const REAL *x, int n, REAL s, int verbose) {
  REAL acc = square(soft_sign(s * x[0]));
  for (int i = 0; i < n; i++)
    acc += clipped(x[i] * s, 0.5) * x[wrap(i - 1, n)];
  if (verbose)
    printf("calls_nested: %d terms\n", n);
  return square(clipped(acc, 1.0)) + soft_sign(square(x[1]) - s);
}
#pragma vgrad value_and_grad(calls_nested) argnums(0, 2)

#ifdef VG_DRIVER
#include "calls_nested.vg.h"
#include "fdcheck.h"

static REAL in_x[4] = {0.9, -0.6, 1.4, 0.2}, in_s;
static REAL loss(void) { return calls_nested(in_x, 4, in_s, 0); }

int main(void) {
  /* acc below and above clipped's limit 1 at the end. */
  static const REAL points[] = {0.4, -1.5};
  for (int p = 0; p < 2; p++) {
    in_s = points[p];
    REAL d_x[4] = {0}, d_s = 0;
    REAL v = calls_nested_value_and_grad(in_x, 4, in_s, p, d_x, &d_s);
    fd_value("value", v, loss());
    fd_check_array("d_x", in_x, d_x, 4, loss);
    fd_check("d_s", p, &in_s, d_s, loss);
  }
  return fd_report("calls_nested");
}
#endif
