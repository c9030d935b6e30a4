/* jvp_recursion: forward mode through recursive functions.  Each recursive
 * function gets one static tangent function (NAME_jvp_rec: its parameters,
 * a tangent per floating scalar parameter, and *t_ret) that returns the
 * value and writes the tangent, and calls itself where the function does:
 * a call is computed once, for both.  cfrac: a continued fraction whose
 * coefficients come in a constant array; tree: two recursive calls per
 * level; even/odd: mutual recursion, once on constants (a static
 * function of the input, which the generated file cannot call itself).
 * Tangents of the selected inputs,
 * float64 and float32, against directional differences. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

static REAL cfrac(REAL x, const REAL *a, int k, int n) {
  if (k == n)
    return a[k];
  REAL rest = cfrac(x, a, k + 1, n);
  return a[k] + x / (1.5 + rest * rest);
}

static REAL tree(REAL x, REAL y, int depth) {
  if (depth <= 0)
    return sin(x) * y;
  REAL left = tree(0.8 * x + 0.1 * y, y, depth - 1);
  REAL right = tree(x, 0.9 * y - 0.2 * x, depth - 2);
  return 0.5 * left + 0.4 * right * cos(x);
}

static REAL odd_part(REAL x, int n);
static REAL even_part(REAL x, int n) {
  if (n <= 0)
    return 1.0 + 0.1 * x;
  REAL o = odd_part(x, n - 1);
  return 0.5 * o + exp(-x * x) * 0.3;
}
static REAL odd_part(REAL x, int n) {
  REAL e = even_part(0.9 * x, n - 1);
  return tanh(x + e);
}

REAL recursion(REAL x, REAL y, const REAL *a, int n) {
  REAL c = cfrac(x * y, a, 0, n);
  REAL t = tree(x, y, n);
  REAL m = even_part(y - x, n + 1);
  REAL fixed = even_part(0.3, 2); /* nothing varies: its value through the tangent function */
  return c * t + m * fixed;
}
#pragma vgrad jvp(recursion) argnums(0, 1)
#pragma vgrad jvp(recursion) argnames(y) name(recursion_dy)

#ifdef VG_DRIVER
#include "jvp_recursion.vg.h"
#include "fdcheck.h"

enum { N = 4 };
static REAL in_x = 0.7, in_y = -0.4, t_x = 0.6, t_y = -0.8;
static const REAL coef[N + 1] = {1.0, 0.5, -0.3, 0.8, 0.2};

static double along(REAL eps, int index) {
  (void)index;
  return recursion(in_x + eps * t_x, in_y + eps * t_y, coef, N);
}

static double along_y(REAL eps, int index) {
  (void)index;
  return recursion(in_x, in_y + eps, coef, N);
}

int main(void) {
  REAL t_ret = 0;
  REAL v = recursion_jvp(in_x, in_y, coef, N, t_x, t_y, &t_ret);
  fd_value("recursion", v, recursion(in_x, in_y, coef, N));
  fd_check_tangent("t_ret", -1, t_ret, along);
  REAL t_dy = 0;
  recursion_dy(in_x, in_y, coef, N, 1.0, &t_dy);
  fd_check_tangent("t_ret (y)", -1, t_dy, along_y);
  return fd_report("jvp_recursion");
}
#endif
