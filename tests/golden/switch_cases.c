/* switch_cases: switch with fall-through, break and default (in the middle
 * and last); a switch in a loop, on an int computed from the loop counter,
 * with `continue` of the loop, a break inside a branch and a return in its
 * cases; a switch in an inlined helper; active values assigned in cases. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

static REAL shape(REAL v, int kind) {
  REAL r;
  switch (kind) {
  case 0:
    r = v * v;
    break;
  case 1:
    r = sin(v);
    break;
  default:
    r = 0.5 * v;
  }
  return r;
}

REAL switch_cases(const REAL *x, int n, REAL a, int mode) {
  REAL s = 0;
  switch (mode) { /* falls through; default in the middle */
  case 0:
    s = a * x[0];
    /* fall through */
  default:
    s += a * a;
    /* fall through */
  case 2:
    s = s * x[1];
    break;
  case 3:
    s = -a;
  }
  for (int i = 0; i < n; i++) {
    int k = (i * 3 + mode) % 5;
    switch (k) {
    case 0:
      if (x[i] > 1.5)
        break;
      s += x[i] * a;
      break;
    case 1:
      continue;
    case 2:
    case 3:
      s = s * 0.9 + shape(x[i], k - 2);
      if (s > 4)
        break;
      s += 0.1 * x[i];
      /* fall through */
    case 4:
      if (s < -1.5)
        return s * a;
      s -= 0.2 * x[i] * x[i];
      break;
    }
    s += 0.01 * a;
  }
  switch (n % 3) { /* no fall-through; default last */
  case 0:
    s *= a;
    break;
  case 1:
    s += exp(0.1 * a);
    break;
  default:
    s -= a;
  }
  return s;
}
#pragma vgrad value_and_grad(switch_cases) argnums(0, 2)

#ifdef VG_DRIVER
#include "switch_cases.vg.h"
#include "fdcheck.h"

static REAL in_x[6] = {0.5, -1.25, 2.0, 0.75, -0.5, 1.0}, in_a = 1.3;
static int in_n = 6, in_mode = 0;
static REAL loss(void) { return switch_cases(in_x, in_n, in_a, in_mode); }

int main(void) {
  /* each mode (4: the default), n giving each case of the last switch, a
   * point where s passes 4 (the break inside case 2), one that returns (the first) */
  static const struct {
    int mode, n;
    REAL a, x1;
  } points[] = {
      {0, 6, 1.3, -1.25}, {1, 5, 0.7, -1.25}, {2, 4, 1.1, 0.8}, {3, 6, -0.9, 1.5},
      {4, 6, 1.7, 2.5},   {2, 6, 2.6, 3.0},   {0, 3, 1.2, 0.3}, {4, 6, -2.5, 0.5},
  };
  for (int p = 0; p < (int)(sizeof points / sizeof *points); p++) {
    in_mode = points[p].mode;
    in_n = points[p].n;
    in_a = points[p].a;
    in_x[1] = points[p].x1;
    REAL d_x[6] = {0}, d_a = 0;
    REAL v = switch_cases_value_and_grad(in_x, in_n, in_a, in_mode, d_x, &d_a);
    fd_value("value", v, loss());
    fd_check_array("d_x", in_x, d_x, 6, loss);
    fd_check("d_a", p, &in_a, d_a, loss);
  }
  return fd_report("switch_cases");
}
#endif
