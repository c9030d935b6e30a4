/* vg/ref_ba.c: calls ref_ba_loss_value_and_grad with the residual buffers
 * of the context (ref/ba.c). */
#include "ref_ba.vg.h"
#include "../ref/problems.h"
#include "vg_bench.h"

double vg_ref_ba(void *ctx, double *grad) {
  RefBaProblem *pb = ctx;
  const BaInput *in = pb->in;
  double loss;
  double *d_cams = grad, *d_X = d_cams + 11L * in->n, *d_w = d_X + 3L * in->m;
  ref_ba_loss_value_and_grad(in->n, in->m, in->p, in->cams, in->X, in->w, in->obs, in->feats,
                             pb->reproj_err, pb->w_err, &loss, d_cams, d_X, d_w);
  return loss;
}
