/* The model fit.c's loss calls: a second input of `vgradcc fit.c model.c`. */
#include "model.h"

REAL model_gain = (REAL)1.5;

/* fit.c has a static squash too, another function: each file calls its own. */
static REAL squash(REAL t) { return t / (1 + smooth_abs(t)); }

/* A polynomial in x (Horner), squashed, plus a distance to w[0]. */
REAL model_predict(const REAL *w, REAL x, int k) {
  REAL s = w[0];
  for (int j = 1; j < k; j++)
    s = s * x + w[j];
  return model_gain * squash(s) + smooth_abs(x - w[0]);
}
