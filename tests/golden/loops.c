/* loops: a counted for loop accumulating over a pointer, a nested loop, a
 * while loop whose trip count depends on the active value, a do-while,
 * and break, continue and return inside loops. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL loops(const REAL *x, int n, REAL s) {
  REAL acc = 0;
  for (int i = 0; i < n; i++)
    acc += x[i] * x[i] * s;
  for (int i = 0; i < n; i++) {
    if (i == 1)
      continue;
    for (int j = i; j < n; j++)
      acc += x[i] * sin(x[j]);
  }
  REAL t = s;
  while (t < 10)
    t = t * 1.5 + x[0];
  int k = 0;
  do {
    t = t - x[k] * 0.25;
    k++;
  } while (k < 3);
  for (int i = 0; i < n; i++) {
    if (x[i] > 5)
      break;
    if (x[i] < -5)
      return acc * t;
    acc = acc * 0.9 + x[i];
  }
  return acc + t;
}
#pragma vgrad value_and_grad(loops) argnums(0, 2)

#ifdef VG_DRIVER
#include "loops.vg.h"
#include "fdcheck.h"

static REAL in_x[4] = {0.5, -1.5, 2.0, 0.25}, in_s = 1.3;
static int in_n = 4;
static REAL loss(void) { return loops(in_x, in_n, in_s); }

int main(void) {
  /* Points that leave the last loop by its condition, by break and by
   * return. */
  static const REAL points[][5] = {
      {0.5, -1.5, 2.0, 0.25, 1.3},
      {0.5, -1.5, 6.0, 0.25, 0.7},
      {0.5, -6.0, 2.0, 0.25, 2.1},
  };
  for (int p = 0; p < 3; p++) {
    for (int i = 0; i < 4; i++)
      in_x[i] = points[p][i];
    in_s = points[p][4];
    REAL d_x[4] = {0}, d_s = 0;
    REAL v = loops_value_and_grad(in_x, in_n, in_s, d_x, &d_s);
    fd_value("value", v, loss());
    fd_check_array("d_x", in_x, d_x, 4, loss);
    fd_check("d_s", p, &in_s, d_s, loss);
  }
  return fd_report("loops");
}
#endif
