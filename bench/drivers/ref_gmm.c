/* drivers/ref_gmm.c: GMM as ADBench's C reference writes it (ref/gmm.c) on
 * one ADBench input file. Two vgradcc rows: `vgradcc` differentiates the
 * `out[j] = out[j] + l * x[i]` spelling of the triangular product,
 * `vgradcc_pe` the `out[j] += l * x[i]` one. */
#include <stdio.h>

#include "../ref/gmm.h"
#include "common.h"

static double primal(void *ctx, double *grad) {
  (void)grad;
  const GmmInput *in = ctx;
  RefWishart wishart = {in->gamma, in->m};
  double err;
  ref_gmm_objective(in->d, in->k, in->n, in->alphas, in->means, in->icf, in->x, wishart, &err);
  return err;
}

int main(int argc, char **argv) {
  Bench b;
  bench_init(&b, "ref_gmm", argc, argv);
  GmmInput in;
  if (!b.input) {
    fprintf(stderr, "usage: %s [options] gmm_dD_KK.txt\n", argv[0]);
    return 2;
  }
  if (gmm_load(b.input, &in) != 0)
    return 1;
  bench_problem(&b, in.theta, in.ntheta);
  bench_add(&b, "primal", primal, &in, 0);
  ADD_VGRADCC(&b, vg_ref_gmm, &in);
#if HAVE_VGRADCC
  if (!b.vg_note)
    bench_add(&b, "vgradcc_pe", vg_ref_gmm_pe, &in, 1)->tape = vg_bench_tape_bytes;
#endif
  int rc = bench_run(&b);
  gmm_free(&in);
  return rc;
}
