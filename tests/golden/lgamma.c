/* lgamma: lgamma of active values, below and above the shift of the
 * generated digamma (6) and at a negative non-integer (its reflection
 * branch), and lgammaf in a float function (float whatever REAL is). */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL lgamma_loss(REAL x, REAL y) {
  REAL a = lgamma(x * y) + y * lgamma(x + 3);
  return a + lgamma(6 * x * x) - lgamma(x - 2) / y;
}
#pragma vgrad value_and_grad(lgamma_loss) argnums(0, 1)

float lgammaf_loss(float a) { return lgammaf(a * a + 0.5f) * a - lgammaf(-a); }
#pragma vgrad value_and_grad(lgammaf_loss)

#ifdef VG_DRIVER
#include "lgamma.vg.h"
#include "fdcheck.h"

static REAL in_x = 1.3, in_y = 0.8;
static REAL loss(void) { return lgamma_loss(in_x, in_y); }

/* lgammaf_loss is checked in float whatever REAL is, with fdcheck.h's
 * float step and tolerance. */
static void check_float(const char *name, float a, float analytic) {
  float h = 1e-2f * (fabsf(a) > 1 ? fabsf(a) : 1);
  float ap = a + h, am = a - h;
  double numeric = ((double)lgammaf_loss(ap) - (double)lgammaf_loss(am)) / ((double)ap - (double)am);
  fd_checks++;
  if (fabs(analytic - numeric) <= 2e-3 + 2e-2 * fd_max(fabs(analytic), fabs(numeric)))
    return;
  fd_failures++;
  printf("MISMATCH %s: analytic %.10g, numeric %.10g (at a = %.10g)\n", name, analytic, numeric, a);
}

int main(void) {
  REAL d_x = 0, d_y = 0;
  REAL v = lgamma_loss_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("value", v, loss());
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);

  float a = 1.3f, d_a = 0;
  float vf = lgammaf_loss_value_and_grad(a, &d_a);
  fd_value("lgammaf value", vf, lgammaf_loss(a));
  check_float("d_a", a, d_a);
  return fd_report("lgamma");
}
#endif
