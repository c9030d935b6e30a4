/* The loss of the CMake test project: a scaled least-squares fit. */
#include <math.h>

#include "loss.h"
#include "loss_config.h" /* LOSS_SCALE */

#ifndef LOSS_OFFSET
#error "LOSS_OFFSET comes from target_compile_definitions: vgradcc must see it too"
#endif

double loss(const double *w, double b, const double *x, const double *y, int n) {
  double s = 0;
  for (int i = 0; i < n; i++) {
    double r = LOSS_SCALE * w[i] * x[i] + b - y[i] + LOSS_OFFSET;
    s += r * r;
  }
  return s / n + sin(b);
}

#pragma vgrad value_and_grad(loss) argnums(0, 1)
