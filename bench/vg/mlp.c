/* vg/mlp.c: calls mlp_loss_value_and_grad. */
#include "mlp.vg.h"
#include "vg_bench.h"

double vg_mlp(void *ctx, double *grad) {
  const MlpProblem *p = ctx;
  double *d_W1 = grad, *d_b1 = d_W1 + (long)p->nhid * p->nin, *d_W2 = d_b1 + p->nhid;
  double *d_b2 = d_W2 + p->nhid;
  return mlp_loss_value_and_grad(p->nin, p->nhid, p->batch, p->W1, p->b1, p->W2, *p->b2, p->X,
                                 p->y, d_W1, d_b1, d_W2, d_b2);
}
