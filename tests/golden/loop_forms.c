/* loop_forms: nested loops whose trip counts are known only at run time
 * (a triangular one among them), a while loop and a do loop left by break
 * and skipping iterations with continue, and a return inside a nested
 * loop.  loops.c has the simpler forms. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL loop_forms(const REAL *x, int m, int n, REAL s, REAL limit) {
  REAL acc = 0;
  for (int i = 0; i < m; i++)
    for (int j = 0; j <= i % n; j++)
      for (int k = j; k < n; k += 2)
        acc += x[j] * x[k] * s + 0.1 * i;
  int i = 0;
  while (i < 100) {
    i++;
    if (i % 3 == 0)
      continue;
    acc = acc * 0.75 + x[i % n] * s;
    if (i >= m + 2)
      break;
  }
  int r = n;
  REAL p = s;
  do {
    r--;
    if (r == 1)
      continue;
    p = p * x[r] + 0.5;
    if (p > 3)
      break;
  } while (r > 0);
  for (int a = 0; a < m; a++) {
    for (int b = 0; b < n; b++) {
      acc += sin(x[b]) * p;
      if (acc > limit)
        return acc * s;
    }
  }
  return acc + p;
}
#pragma vgrad value_and_grad(loop_forms) argnums(0, 3)

#ifdef VG_DRIVER
#include "loop_forms.vg.h"
#include "fdcheck.h"

static REAL in_x[4], in_s, in_limit;
static int in_m, in_n;
static REAL loss(void) { return loop_forms(in_x, in_m, in_n, in_s, in_limit); }

int main(void) {
  /* x[0..3], s, limit, m, n: the do loop ends by its condition, then by
   * break; the last nested loop returns from its inside or runs out. */
  static const REAL points[][8] = {
      {0.5, -0.8, 1.1, 0.3, 0.9, 100, 3, 4},
      {0.5, 0.8, 1.9, 2.5, 1.2, 100, 2, 4},
      {0.5, -0.8, 1.1, 0.3, 0.9, 1.0, 3, 4},
      {0.7, 0.6, -0.4, 1.3, 0.6, 100, 5, 3},
  };
  for (int p = 0; p < 4; p++) {
    for (int i = 0; i < 4; i++)
      in_x[i] = points[p][i];
    in_s = points[p][4];
    in_limit = points[p][5];
    in_m = (int)points[p][6];
    in_n = (int)points[p][7];
    REAL d_x[4] = {0}, d_s = 0;
    REAL v = loop_forms_value_and_grad(in_x, in_m, in_n, in_s, in_limit, d_x, &d_s);
    fd_value("value", v, loss());
    fd_check_array("d_x", in_x, d_x, 4, loss);
    fd_check("d_s", p, &in_s, d_s, loss);
  }
  return fd_report("loop_forms");
}
#endif
