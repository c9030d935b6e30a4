/* fill_recompute: a local array filled at the top of each iteration from
 * memory nothing writes (GMM's centred[j] = x[j] - mu[j]) is filled again
 * at the start of each reverse iteration instead of having its old values
 * taped.  `last` is filled the same way but read after the loop, so it is
 * still saved and restored. */
#ifndef REAL
#define REAL double
#endif
#include <math.h>

REAL fill_recompute(const REAL *x, const REAL *mu, const REAL *w, int n, int k, int d) {
  REAL centred[4];
  REAL last[4] = {0, 0, 0, 0};
  REAL s = 0;
  for (int i = 0; i < n; i++) {
    for (int c = 0; c < k; c++) {
      const REAL *m = mu + c * d;
      for (int j = 0; j < d; j++)
        centred[j] = x[i * d + j] - m[j];
      for (int j = 0; j < d; j++)
        last[j] = m[j] * x[i * d + j];
      REAL q = 0;
      for (int j = 0; j < d; j++)
        q += centred[j] * centred[j] * w[j] + last[j] * centred[j];
      s += exp(-q);
    }
  }
  return s + last[0] * last[1];
}
#pragma vgrad value_and_grad(fill_recompute) argnums(0, 1, 2)

#ifdef VG_DRIVER
#include "fill_recompute.vg.h"
#include "fdcheck.h"

/* n = 3 points of d = 3, k = 2 centres */
static REAL in_x[9] = {0.5, -0.25, 0.75, 1.0, 0.3, -0.6, -0.4, 0.9, 0.2};
static REAL in_mu[6] = {0.1, 0.2, -0.3, -0.5, 0.4, 0.6};
static REAL in_w[3] = {0.8, 1.2, 0.5};
static REAL loss(void) { return fill_recompute(in_x, in_mu, in_w, 3, 2, 3); }

int main(void) {
  REAL d_x[9] = {0}, d_mu[6] = {0}, d_w[3] = {0};
  REAL v = fill_recompute_value_and_grad(in_x, in_mu, in_w, 3, 2, 3, d_x, d_mu, d_w);
  fd_value("value", v, loss());
  fd_check_array("d_x", in_x, d_x, 9, loss);
  fd_check_array("d_mu", in_mu, d_mu, 6, loss);
  fd_check_array("d_w", in_w, d_w, 3, loss);
  return fd_report("fill_recompute");
}
#endif
