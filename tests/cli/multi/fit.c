/* A loss whose model is in another file: `vgradcc fit.c model.c`. */
#include "model.h"

static REAL squash(REAL t) { return tanh(t); }

REAL fit(const REAL *w, const REAL *xs, const REAL *ys, int n, int k) {
  REAL sum = 0;
  for (int i = 0; i < n; i++) {
    REAL r = model_predict(w, xs[i], k) - ys[i];
    sum += squash(r) * squash(r) + (REAL)0.1 * smooth_abs(r);
  }
  return sum / n;
}
#pragma vgrad value_and_grad(fit)
/* A pragma for a function whose body is in the other input. */
#pragma vgrad grad(model_predict) argnums(0)
