/* vg/gmm.c: calls gmm_objective_value_and_grad. */
#include "gmm.vg.h"
#include "vg_bench.h"

double vg_gmm(void *ctx, double *grad) {
  const GmmInput *in = ctx;
  Wishart wishart = {in->gamma, in->m};
  double err;
  double *d_alphas = grad, *d_means = d_alphas + in->k, *d_icf = d_means + in->k * in->d;
  gmm_objective_value_and_grad(in->d, in->k, in->n, in->alphas, in->means, in->icf, in->x,
                               wishart, &err, d_alphas, d_means, d_icf);
  return err;
}
