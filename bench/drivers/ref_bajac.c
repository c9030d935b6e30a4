/* drivers/ref_bajac.c: BA's Jacobian as ADBench computes it (ref/ba.c,
 * vg/ref_bajac.c: one reverse sweep per residual), on one ADBench input
 * file. The harness compares gradients, so the primal is v . r for fixed
 * weights v (all residuals r of ref_ba_objective) and each Jacobian method
 * hands back J^T v, which finite differences of the primal check; the
 * contraction costs one pass over the 31 p Jacobian entries
 * (ref/problems.h). Row vgradcc_vjp computes the same Jacobian through the
 * generated vjps, a unit cotangent per residual; row vgradcc_jacobian through
 * the generated jacobian, one forward sweep for both rows of an observation.
 * The hand-written Jacobian
 * (hand/ba.c) is the floor and the reference. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../hand/hand.h"
#include "../ref/ba.h"
#include "../ref/problems.h"
#include "common.h"

static double primal(void *ctx, double *grad) {
  (void)grad;
  RefBaProblem *pb = ctx;
  const BaInput *in = pb->in;
  ref_ba_objective(in->n, in->m, in->p, in->cams, in->X, in->w, in->obs, in->feats,
                   pb->reproj_err, pb->w_err);
  double value = 0.0;
  for (long i = 0; i < 2L * in->p; i++)
    value += pb->v[i] * pb->reproj_err[i];
  for (long i = 0; i < in->p; i++)
    value += pb->v[2L * in->p + i] * pb->w_err[i];
  return value;
}

static double hand(void *ctx, double *grad) {
  RefBaProblem *pb = ctx;
  const BaInput *in = pb->in;
  ref_ba_jacobian_hand(in->p, in->cams, in->X, in->w, in->obs, in->feats, pb->reproj_err,
                       pb->w_err, pb->reproj_jac, pb->w_jac);
  return ref_ba_jacobian_transpose_times(pb, grad);
}

/* The hand-written Jacobian keeps one observation's projection at a time. */
static void hand_tape(void *ctx, long long *pushed, long long *peak) {
  const RefBaProblem *pb = ctx;
  *peak = ref_ba_hand_forward_bytes;
  *pushed = *peak * pb->in->p;
}

int main(int argc, char **argv) {
  Bench b;
  bench_init(&b, "ref_bajac", argc, argv);
  BaInput in;
  if (!b.input) {
    fprintf(stderr, "usage: %s [options] baN_n_m_p.txt\n", argv[0]);
    return 2;
  }
  if (ba_load(b.input, &in) != 0)
    return 1;
  RefBaProblem pb = {&in,
                     bench_alloc(2L * in.p, sizeof(double)),
                     bench_alloc(in.p, sizeof(double)),
                     bench_alloc(30L * in.p, sizeof(double)),
                     bench_alloc(in.p, sizeof(double)),
                     bench_alloc(3L * in.p, sizeof(double))};
  for (long i = 0; i < 3L * in.p; i++)
    pb.v[i] = sin(0.7 * i + 0.4);
  bench_problem(&b, in.theta, in.ntheta);
  bench_add(&b, "primal", primal, &pb, 0);
  ADD_VGRADCC(&b, vg_ref_bajac, &pb);
#if HAVE_VGRADCC
  if (!b.vg_note)
    bench_add(&b, "vgradcc_vjp", vg_ref_bajac_vjp, &pb, 1)->tape = vg_bench_tape_bytes;
  if (!b.vg_note)
    bench_add(&b, "vgradcc_jacobian", vg_ref_bajac_jacobian, &pb, 1)->tape = vg_bench_tape_bytes;
#endif
  bench_add(&b, "hand", hand, &pb, 1)->tape = hand_tape;
  int rc = bench_run(&b);
  free(pb.reproj_err);
  free(pb.w_err);
  free(pb.reproj_jac);
  free(pb.w_jac);
  free(pb.v);
  ba_free(&in);
  return rc;
}
