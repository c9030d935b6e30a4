/* Part of golden/unity_include: a file that the loss's file includes
 * (a unity build), with a struct and helpers of its own. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

typedef struct {
  REAL w;
  REAL b;
} Lin;

static REAL lin(const Lin *l, REAL x) { return l->w * x + l->b; }

REAL soft(REAL x) { return log1p(exp(x)); }
