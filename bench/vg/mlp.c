/* vg/mlp.c: calls mlp_loss_value_and_grad; mlp_loss_hvp with a fixed
 * direction (the gradient into grad, H v kept for the driver's check); and
 * mlp_loss_jvp with the same direction (the tangent kept). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mlp.vg.h"
#include "vg_bench.h"

double vg_mlp(void *ctx, double *grad) {
  const MlpProblem *p = ctx;
  double *d_W1 = grad, *d_b1 = d_W1 + (long)p->nhid * p->nin, *d_W2 = d_b1 + p->nhid;
  double *d_b2 = d_W2 + p->nhid;
  return mlp_loss_value_and_grad(p->nin, p->nhid, p->batch, p->W1, p->b1, p->W2, *p->b2, p->X,
                                 p->y, d_W1, d_b1, d_W2, d_b2);
}

static double *hvp_dir, *hvp_out; /* ntheta each, made at the first call */

static void make_direction(const MlpProblem *p) {
  if (!hvp_dir) {
    hvp_dir = malloc((size_t)p->ntheta * sizeof(double));
    hvp_out = malloc((size_t)p->ntheta * sizeof(double));
    if (!hvp_dir || !hvp_out)
      abort();
    for (long i = 0; i < p->ntheta; i++)
      hvp_dir[i] = sin(0.37 * (double)i + 0.1);
  }
}

double vg_mlp_hvp(void *ctx, double *grad) {
  const MlpProblem *p = ctx;
  make_direction(p);
  memset(hvp_out, 0, (size_t)p->ntheta * sizeof(double));
  long w1 = (long)p->nhid * p->nin;
  const double *t = hvp_dir;
  double *d = grad, *h = hvp_out;
  return mlp_loss_hvp(p->nin, p->nhid, p->batch, p->W1, p->b1, p->W2, *p->b2, p->X, p->y, t, t + w1,
                      t + w1 + p->nhid, t[w1 + 2 * p->nhid], d, d + w1, d + w1 + p->nhid,
                      d + w1 + 2 * p->nhid, h, h + w1, h + w1 + p->nhid, h + w1 + 2 * p->nhid);
}

static double jvp_tangent;

double vg_mlp_jvp(void *ctx, double *grad) {
  (void)grad;
  const MlpProblem *p = ctx;
  make_direction(p);
  long w1 = (long)p->nhid * p->nin;
  const double *t = hvp_dir;
  return mlp_loss_jvp(p->nin, p->nhid, p->batch, p->W1, p->b1, p->W2, *p->b2, p->X, p->y, t, t + w1,
                      t + w1 + p->nhid, t[w1 + 2 * p->nhid], &jvp_tangent);
}

double vg_mlp_jvp_tangent(void) { return jvp_tangent; }

const double *vg_mlp_hvp_direction(void) { return hvp_dir; }
const double *vg_mlp_hvp_product(void) { return hvp_out; }
