/* drivers/ba.c: the bundle-adjustment benchmark on one ADBench input file. */
#include <stdio.h>

#include "../../samples/ba.h"
#include "common.h"

static double primal(void *ctx, double *grad) {
  (void)grad;
  const BaInput *in = ctx;
  double err;
  ba_objective(in->n, in->m, in->p, in->cams, in->X, in->w, in->obs, in->feats, &err);
  return err;
}

int main(int argc, char **argv) {
  Bench b;
  bench_init(&b, "ba", argc, argv);
  BaInput in;
  if (!b.input) {
    fprintf(stderr, "usage: %s [options] baN_n_m_p.txt\n", argv[0]);
    return 2;
  }
  if (ba_load(b.input, &in) != 0)
    return 1;
  bench_problem(&b, in.theta, in.ntheta);
  bench_add(&b, "primal", primal, &in, 0);
  ADD_VGRADCC(&b, vg_ba, &in);
  ADD_ADOLC(&b, adolc_ba_tape, adolc_ba_reuse, &in, 120.0 * in.p);
  int rc = bench_run(&b);
  ba_free(&in);
  return rc;
}
