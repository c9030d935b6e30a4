/* vg/ref_gmm.c: calls the generated gradients of ref/gmm.c's two spellings. */
#include "ref_gmm.vg.h"
#include "vg_bench.h"

double vg_ref_gmm(void *ctx, double *grad) {
  const GmmInput *in = ctx;
  RefWishart wishart = {in->gamma, in->m};
  double err;
  double *d_alphas = grad, *d_means = d_alphas + in->k, *d_icf = d_means + in->k * in->d;
  ref_gmm_objective_value_and_grad(in->d, in->k, in->n, in->alphas, in->means, in->icf, in->x,
                                   wishart, &err, d_alphas, d_means, d_icf);
  return err;
}

double vg_ref_gmm_pe(void *ctx, double *grad) {
  const GmmInput *in = ctx;
  RefWishart wishart = {in->gamma, in->m};
  double err;
  double *d_alphas = grad, *d_means = d_alphas + in->k, *d_icf = d_means + in->k * in->d;
  ref_gmm_objective_pe_value_and_grad(in->d, in->k, in->n, in->alphas, in->means, in->icf,
                                      in->x, wishart, &err, d_alphas, d_means, d_icf);
  return err;
}
