/* fill_through_helper: GMM in ADBench's C spelling (a helper writing
 * through its output pointer into a buffer allocated once per call,
 * `subtract(d, &x[i * d], &mu[c * d], centred)`, and a pointer into an
 * array the function computed, `&scales[c * d]`): the helper's fill is
 * redone at the start of each reverse iteration and the pointer
 * recomputed, neither is taped.  `prev` is filled the same way but read
 * before its fill in the next iteration, so its old values are still
 * saved. */
#ifndef REAL
#define REAL double
#endif
#include <math.h>
#include <stdlib.h>

static void subtract(int d, const REAL *x, const REAL *y, REAL *out) {
  for (int j = 0; j < d; j++)
    out[j] = x[j] - y[j];
}

static REAL weighted_sq(int d, const REAL *scale, const REAL *v) {
  REAL s = 0;
  for (int j = 0; j < d; j++)
    s += scale[j] * v[j] * v[j];
  return s;
}

REAL fill_through_helper(const REAL *x, const REAL *mu, const REAL *q, int n, int k, int d) {
  REAL *scales = malloc(k * d * sizeof(REAL));
  REAL *centred = malloc(d * sizeof(REAL));
  REAL *prev = calloc(d, sizeof(REAL));
  for (int c = 0; c < k * d; c++)
    scales[c] = exp(q[c]);
  REAL s = 0;
  for (int i = 0; i < n; i++) {
    for (int c = 0; c < k; c++) {
      const REAL *scale = &scales[c * d];
      subtract(d, &x[i * d], &mu[c * d], centred);
      s += exp(-weighted_sq(d, scale, centred));
    }
    s += 0.5 * weighted_sq(d, scales, prev);
    subtract(d, &x[i * d], mu, prev);
  }
  free(scales);
  free(centred);
  free(prev);
  return s;
}
#pragma vgrad value_and_grad(fill_through_helper) argnums(0, 1, 2)

#ifdef VG_DRIVER
#include <vgrad.h>
#include "fill_through_helper.vg.h"
#include "fdcheck.h"

/* n = 3 points of d = 3, k = 2 centres */
static REAL in_x[9] = {0.5, -0.25, 0.75, 1.0, 0.3, -0.6, -0.4, 0.9, 0.2};
static REAL in_mu[6] = {0.1, 0.2, -0.3, -0.5, 0.4, 0.6};
static REAL in_q[6] = {-0.2, 0.1, 0.3, 0.25, -0.4, 0.05};
static REAL loss(void) { return fill_through_helper(in_x, in_mu, in_q, 3, 2, 3); }

int main(void) {
  REAL d_x[9] = {0}, d_mu[6] = {0}, d_q[6] = {0};
  vg_memory_stats stats;
  vg_memory_stats_reset();
  REAL v = fill_through_helper_value_and_grad(in_x, in_mu, in_q, 3, 2, 3, d_x, d_mu, d_q);
  vg_memory_stats_get(&stats);
  /* exp(q) and the old scales (k d each; C's exp of a float is a double,
   * and the two share one stream), exp(-weighted_sq) per point and centre
   * (n k), prev's old values per point (n d); nothing for centred or the
   * pointer scale */
  double bytes = 2.0 * 2 * 3 * sizeof(double) + (3 * 2 + 3 * 3) * sizeof(REAL);
  fd_value("tape bytes pushed", (double)stats.tape_bytes_pushed, bytes);
  fd_value("value", v, loss());
  fd_check_array("d_x", in_x, d_x, 9, loss);
  fd_check_array("d_mu", in_mu, d_mu, 6, loss);
  fd_check_array("d_q", in_q, d_q, 6, loss);
  return fd_report("fill_through_helper");
}
#endif
