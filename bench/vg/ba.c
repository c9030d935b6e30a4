/* vg/ba.c: calls ba_objective_value_and_grad. */
#include "ba.vg.h"
#include "vg_bench.h"

double vg_ba(void *ctx, double *grad) {
  const BaInput *in = ctx;
  double err;
  double *d_cams = grad, *d_X = d_cams + 11L * in->n, *d_w = d_X + 3L * in->m;
  ba_objective_value_and_grad(in->n, in->m, in->p, in->cams, in->X, in->w, in->obs, in->feats,
                              &err, d_cams, d_X, d_w);
  return err;
}
