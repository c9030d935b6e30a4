/* drivers/mlp.c: a 64-128-1 perceptron on a batch of 512. */
#include "../hand/hand.h"
#include "../../samples/mlp.h"
#include "common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#if HAVE_VGRADCC
/* H v from mlp_loss_hvp against central differences of vgradcc's gradient
 * along v (step 1e-5, the gradient being smooth): the largest difference
 * relative to max |H v|, in the row's note. */
static double hvp_check(MlpProblem *p) {
  long n = p->ntheta;
  double *g = bench_alloc(n, sizeof(double)), *gp = bench_alloc(n, sizeof(double)),
         *gm = bench_alloc(n, sizeof(double)), *saved = bench_alloc(n, sizeof(double));
  vg_mlp_hvp(p, g);
  const double *v = vg_mlp_hvp_direction(), *hv = vg_mlp_hvp_product();
  double eps = 1e-5, worst = 0, scale = 0;
  memcpy(saved, p->theta, (size_t)n * sizeof(double));
  for (long i = 0; i < n; i++)
    p->theta[i] = saved[i] + eps * v[i];
  vg_mlp(p, gp);
  for (long i = 0; i < n; i++)
    p->theta[i] = saved[i] - eps * v[i];
  vg_mlp(p, gm);
  memcpy(p->theta, saved, (size_t)n * sizeof(double));
  for (long i = 0; i < n; i++)
    scale = fmax(scale, fabs(hv[i]));
  for (long i = 0; i < n; i++)
    worst = fmax(worst, fabs(hv[i] - (gp[i] - gm[i]) / (2 * eps)));
  free(g);
  free(gp);
  free(gm);
  free(saved);
  return worst / fmax(scale, 1e-300);
}

/* The jvp's tangent against the central difference of the primal along
 * the same direction: their difference relative to the tangent. */
static double jvp_check(MlpProblem *p) {
  long n = p->ntheta;
  double *saved = bench_alloc(n, sizeof(double)), eps = 1e-6;
  vg_mlp_jvp(p, NULL);
  const double *v = vg_mlp_hvp_direction();
  double tangent = vg_mlp_jvp_tangent();
  memcpy(saved, p->theta, (size_t)n * sizeof(double));
  for (long i = 0; i < n; i++)
    p->theta[i] = saved[i] + eps * v[i];
  double fp = primal(p, NULL);
  for (long i = 0; i < n; i++)
    p->theta[i] = saved[i] - eps * v[i];
  double fm = primal(p, NULL);
  memcpy(p->theta, saved, (size_t)n * sizeof(double));
  free(saved);
  return fabs(tangent - (fp - fm) / (2 * eps)) / fmax(fabs(tangent), 1e-300);
}
#endif

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
#if HAVE_VGRADCC
  /* the gradient and a Hessian-vector product (hvp): its gradient checked
   * as every row's, H v here */
  if (!b.vg_note) {
    double hv_diff = hvp_check(&p);
    Method *m = bench_add(&b, "vgradcc_hvp", vg_mlp_hvp, &p, 1);
    m->tape = vg_bench_tape_bytes;
    snprintf(m->note, sizeof m->note, "gradient and H v; H v vs differences of the gradient: %.1e", hv_diff);
    if (b.strict && !(hv_diff < 1e-6)) {
      fprintf(stderr, "mlp: H v differs from the differences of the gradient by %.3g\n", hv_diff);
      return 1;
    }
    /* the value and the tangent along the same direction (jvp): timed, not a gradient */
    double jv_diff = jvp_check(&p);
    m = bench_add(&b, "vgradcc_jvp", vg_mlp_jvp, &p, 0);
    snprintf(m->note, sizeof m->note, "value and tangent; tangent vs the difference of the primal: %.1e", jv_diff);
    if (b.strict && !(jv_diff < 1e-6)) {
      fprintf(stderr, "mlp: the tangent differs from the difference of the primal by %.3g\n", jv_diff);
      return 1;
    }
  }
#endif
  ADD_ADOLC(&b, adolc_mlp_tape, adolc_mlp_reuse, &p, (double)p.batch * p.nhid * (2.0 * p.nin + 6));
  bench_add(&b, "hand", hand, &p, 1)->tape = hand_tape;
  int rc = bench_run(&b);
  mlp_problem_free(&p);
  return rc;
}
