/* fminmax_nan: fmin and fmax with one NaN operand return the other one, and
 * the adjoint follows the operand returned: the non-NaN operand gets the
 * whole derivative, the NaN one none.  NaN as an input (y) and made inside
 * (log of a negative z), as first and as second operand, against a
 * constant; float variants with fminf/fmaxf.  Ties keep going to the first
 * operand. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL pick(REAL x, REAL y, REAL z) {
  REAL lg = log(z); /* NaN for z < 0 */
  REAL hi = fmax(x * x, y);
  REAL lo = fmin(z, x);
  REAL m = fmax(lg, x) + (REAL)3 * fmin(x, lg);
  REAL c = fmin(y, (REAL)2) + fmax((REAL)-1, y * x);
  return hi + (REAL)2 * lo + m + c;
}
#pragma vgrad value_and_grad(pick) argnums(0, 1, 2)

REAL tie(REAL x, REAL y) { return fmax(x, y) + (REAL)2 * fmin(x, y); }
#pragma vgrad value_and_grad(tie) argnums(0, 1)

float pickf(float x, float y) {
  float lg = logf(y);
  return fmaxf(x * x, lg) + fminf(lg, x) * 2.0f + fminf(x, y) * 0.5f + fmaxf(y, lg);
}
#pragma vgrad value_and_grad(pickf) argnums(0, 1)

#ifdef VG_DRIVER
#include "fminmax_nan.vg.h"
#include "fdcheck.h"

static REAL in_x, in_y, in_z;
static REAL loss(void) { return pick(in_x, in_y, in_z); }

static float f_x, f_y;
/* pickf is float whatever REAL is: its own central difference, float steps */
static void check_pickf(const char *name, float *at, float analytic) {
  float x0 = *at;
  double h = 1e-2 * fd_max(1.0, fabs((double)x0));
  *at = (float)(x0 + h);
  double fp = pickf(f_x, f_y);
  float up = *at;
  *at = (float)(x0 - h);
  double fm = pickf(f_x, f_y);
  double numeric = (fp - fm) / ((double)up - (double)*at);
  *at = x0;
  fd_checks++;
  if (!(fabs(analytic - numeric) <= 2e-3 + 2e-2 * fd_max(fabs(analytic), fabs(numeric)))) {
    fd_failures++;
    printf("MISMATCH pickf %s: analytic %.10g, numeric %.10g\n", name, analytic, numeric);
  }
}

int main(void) {
  /* no NaN: every derivative against finite differences */
  in_x = (REAL)0.6, in_y = (REAL)0.8, in_z = (REAL)1.7;
  REAL d_x = 0, d_y = 0, d_z = 0;
  fd_value("pick", pick_value_and_grad(in_x, in_y, in_z, &d_x, &d_y, &d_z), loss());
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);
  fd_check("d_z", -1, &in_z, d_z, loss);

  /* y NaN (second operand of fmax, first of fmin, times x in fmax) and
   * log(z) NaN (first operand of fmax, second of fmin): x and z's
   * derivatives by finite differences, y's is 0 (the loss does not depend
   * on it there) */
  in_y = (REAL)NAN, in_z = (REAL)-0.5;
  d_x = d_y = d_z = 0;
  REAL v = pick_value_and_grad(in_x, in_y, in_z, &d_x, &d_y, &d_z);
  fd_value("pick (NaN y, z < 0)", v, loss());
  fd_value("pick (NaN y, z < 0) is not NaN", v == v, 1);
  fd_check("NaN: d_x", -1, &in_x, d_x, loss);
  fd_check("NaN: d_z", -1, &in_z, d_z, loss);
  fd_value("NaN: d_y", d_y, 0);

  /* ties: the first operand takes it */
  REAL t_x = 0, t_y = 0;
  tie_value_and_grad((REAL)0.5, (REAL)0.5, &t_x, &t_y);
  fd_value("tie: d_x", t_x, 3);
  fd_value("tie: d_y", t_y, 0);

  /* float: y < 0 makes logf(y) NaN */
  f_x = 0.6f, f_y = -0.5f;
  float g_x = 0, g_y = 0;
  float fv = pickf_value_and_grad(f_x, f_y, &g_x, &g_y);
  fd_value("pickf", fv, pickf(f_x, f_y));
  fd_value("pickf is not NaN", fv == fv, 1);
  check_pickf("d_x", &f_x, g_x);
  check_pickf("d_y", &f_y, g_y);
  f_y = 0.9f;
  g_x = g_y = 0;
  fd_value("pickf (no NaN)", pickf_value_and_grad(f_x, f_y, &g_x, &g_y), pickf(f_x, f_y));
  check_pickf("d_x (no NaN)", &f_x, g_x);
  check_pickf("d_y (no NaN)", &f_y, g_y);
  return fd_report("fminmax_nan");
}
#endif
