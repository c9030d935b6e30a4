/* drivers/gmm.c: the GMM benchmark on one ADBench input file. */
#include <stdio.h>

#include "../../samples/gmm.h"
#include "common.h"

static double primal(void *ctx, double *grad) {
  (void)grad;
  const GmmInput *in = ctx;
  Wishart wishart = {in->gamma, in->m};
  double err;
  gmm_objective(in->d, in->k, in->n, in->alphas, in->means, in->icf, in->x, wishart, &err);
  return err;
}

int main(int argc, char **argv) {
  Bench b;
  bench_init(&b, "gmm", argc, argv);
  GmmInput in;
  if (!b.input) {
    fprintf(stderr, "usage: %s [options] gmm_dD_KK.txt\n", argv[0]);
    return 2;
  }
  if (gmm_load(b.input, &in) != 0)
    return 1;
  bench_problem(&b, in.theta, in.ntheta);
  bench_add(&b, "primal", primal, &in, 0);
  ADD_VGRADCC(&b, vg_gmm, &in);
  double ops = (double)in.n * in.k * (in.d * in.d + 5.0 * in.d + 12.0);
  ADD_ADOLC(&b, adolc_gmm_tape, adolc_gmm_reuse, &in, ops);
  int rc = bench_run(&b);
  gmm_free(&in);
  return rc;
}
