/* tests/cli/multi: what spline_loss.c and spline_tail.c share
 * (cli/multi-static-locals). */
#ifndef SPLINE_H
#define SPLINE_H

#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL spline_tail(const REAL *x, int n); /* defined in spline_tail.c */

/* Each input including this header has its own copy, and its own knots. */
static inline REAL spline_bump(REAL t) {
  static const REAL knots[3] = {(REAL)-0.5, (REAL)0.25, (REAL)1.0};
  REAL s = 0;
  for (int j = 0; j < 3; j++)
    s += exp(-(t - knots[j]) * (t - knots[j]));
  return s;
}

#endif
