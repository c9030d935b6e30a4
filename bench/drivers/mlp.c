/* drivers/mlp.c: a 64-128-1 perceptron on a batch of 512. */
#include "../hand/hand.h"
#include "../../samples/mlp.h"
#include "common.h"

static double primal(void *ctx, double *grad) {
  (void)grad;
  const MlpProblem *p = ctx;
  return mlp_loss(p->nin, p->nhid, p->batch, p->W1, p->b1, p->W2, *p->b2, p->X, p->y);
}

static double hand(void *ctx, double *grad) {
  const MlpProblem *p = ctx;
  double *d_W1 = grad, *d_b1 = d_W1 + (long)p->nhid * p->nin, *d_W2 = d_b1 + p->nhid;
  return mlp_loss_hand(p->nin, p->nhid, p->batch, p->W1, p->b1, p->W2, *p->b2, p->X, p->y, d_W1,
                       d_b1, d_W2, d_W2 + p->nhid);
}

/* The hand adjoint keeps one sample's hidden layer. */
static void hand_tape(void *ctx, long long *pushed, long long *peak) {
  const MlpProblem *p = ctx;
  *peak = (long long)p->nhid * sizeof(double);
  *pushed = *peak * p->batch;
}

int main(int argc, char **argv) {
  Bench b;
  bench_init(&b, "mlp", argc, argv);
  if (!b.input)
    b.size = "64-128-1_b512";
  MlpProblem p;
  mlp_problem_init(&p, 64, 128, 512);
  bench_problem(&b, p.theta, p.ntheta);
  bench_add(&b, "primal", primal, &p, 0);
  ADD_VGRADCC(&b, vg_mlp, &p);
  ADD_ADOLC(&b, adolc_mlp_tape, adolc_mlp_reuse, &p, (double)p.batch * p.nhid * (2.0 * p.nin + 6));
  bench_add(&b, "hand", hand, &p, 1)->tape = hand_tape;
  int rc = bench_run(&b);
  mlp_problem_free(&p);
  return rc;
}
