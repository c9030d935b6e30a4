/* drivers/ref_ba.c: BA as ADBench's C reference writes it (ref/ba.c), the
 * scalar loss 1/2 |r|^2 over per-observation residual buffers, on one
 * ADBench input file. */
#include <stdio.h>
#include <stdlib.h>

#include "../ref/ba.h"
#include "../ref/problems.h"
#include "common.h"

static double primal(void *ctx, double *grad) {
  (void)grad;
  RefBaProblem *pb = ctx;
  const BaInput *in = pb->in;
  double loss;
  ref_ba_loss(in->n, in->m, in->p, in->cams, in->X, in->w, in->obs, in->feats, pb->reproj_err,
              pb->w_err, &loss);
  return loss;
}

int main(int argc, char **argv) {
  Bench b;
  bench_init(&b, "ref_ba", argc, argv);
  BaInput in;
  if (!b.input) {
    fprintf(stderr, "usage: %s [options] baN_n_m_p.txt\n", argv[0]);
    return 2;
  }
  if (ba_load(b.input, &in) != 0)
    return 1;
  RefBaProblem pb = {&in, bench_alloc(2L * in.p, sizeof(double)),
                     bench_alloc(in.p, sizeof(double)), NULL, NULL, NULL};
  bench_problem(&b, in.theta, in.ntheta);
  bench_add(&b, "primal", primal, &pb, 0);
  ADD_VGRADCC(&b, vg_ref_ba, &pb);
  int rc = bench_run(&b);
  free(pb.reproj_err);
  free(pb.w_err);
  ba_free(&in);
  return rc;
}
