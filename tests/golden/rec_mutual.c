/* rec_mutual: mutual recursion, each function of the cycle a forward and
 * a reverse function of its own: even levels take a cosine of the next,
 * odd ones scale a sine of it by x; and the differentiated function itself
 * recursive (a power by squaring, its pragma on it). */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

static REAL odd_level(REAL x, int n);

static REAL even_level(REAL x, int n) {
  if (n <= 0)
    return x;
  return cos(odd_level(x, n - 1)) + 0.5 * x;
}

static REAL odd_level(REAL x, int n) {
  if (n <= 0)
    return sin(x);
  return x * sin(even_level(x, n - 1));
}

REAL rec_mutual(REAL x, int n) { return even_level(x, n) * even_level(0.5 * x, n - 2); }
#pragma vgrad value_and_grad(rec_mutual)

REAL power_sq(REAL x, int n) {
  if (n == 0)
    return 1;
  REAL h = power_sq(x, n / 2);
  if (n % 2)
    return h * h * x;
  return h * h;
}
#pragma vgrad value_and_grad(power_sq)

#ifdef VG_DRIVER
#include "rec_mutual.vg.h"
#include "fdcheck.h"

static REAL in_x;
static int in_n;
static REAL loss(void) { return rec_mutual(in_x, in_n); }
static REAL loss_power(void) { return power_sq(in_x, in_n); }

/* Tolerances: fdcheck.h's (double: 1e-6 absolute + 1e-5 relative; float:
 * 2e-3 + 2e-2). */
int main(void) {
  static const REAL points[] = {0.9, -1.3};
  static const int depths[] = {12, 9};
  for (int p = 0; p < 2; p++) {
    in_x = points[p];
    in_n = depths[p];
    REAL d_x = 0;
    REAL v = rec_mutual_value_and_grad(in_x, in_n, &d_x);
    fd_value("value", v, loss());
    fd_check("d_x", p, &in_x, d_x, loss);
    in_x = (REAL)(0.55 + 0.4 * p);
    in_n = 11 + p * 6;
    d_x = 0;
    v = power_sq_value_and_grad(in_x, in_n, &d_x);
    fd_value("power value", v, loss_power());
    fd_check("power d_x", p, &in_x, d_x, loss_power);
  }
  return fd_report("rec_mutual");
}
#endif
