/* drivers/ref_gpt2.c: the loss of a 2-layer GPT-2 written as llm.c writes
 * its forward pass (ref/gpt2.c), float (double when built with -DREF_F64,
 * for the finite-difference check); the size comes from the label
 * bB_tT_cC_vV_lL_nhNH, e.g. --size b4_t32_c64_v256_l2_nh4. The
 * hand-written forward + backward (hand/gpt2.c) is the floor and the
 * reference gradient. Inputs are synthetic: parameters from a formula
 * (layernorm weights about 1), tokens from another, targets the inputs
 * shifted by one. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../hand/hand_ref.h"
#include "../ref/gpt2.h"
#include "../ref/problems.h"
#include "common.h"

static void sync_params(void *ctx) {
  RefGpt2Problem *p = ctx;
  for (long i = 0; i < p->ntheta; i++)
    p->params[i] = (REAL)p->theta[i];
}

static double primal(void *ctx, double *grad) {
  (void)grad;
  const RefGpt2Problem *p = ctx;
  return ref_gpt2_loss(p->B, p->T, p->C, p->V, p->L, p->NH, p->params, p->inputs, p->targets);
}

static long long hand_stored;

static double hand(void *ctx, double *grad) {
  RefGpt2Problem *p = ctx;
  memset(p->grad, 0, p->ntheta * sizeof(REAL));
  REAL loss = ref_gpt2_loss_hand(p->B, p->T, p->C, p->V, p->L, p->NH, p->params, p->inputs,
                                 p->targets, p->grad, &hand_stored);
  for (long i = 0; i < p->ntheta; i++)
    grad[i] += p->grad[i];
  return loss;
}

/* The hand-written pass keeps all activations and their gradients. */
static void hand_tape(void *ctx, long long *pushed, long long *peak) {
  (void)ctx;
  *pushed = *peak = hand_stored;
}

int main(int argc, char **argv) {
  Bench b;
#ifdef REF_F64
  bench_init(&b, "ref_gpt2_f64", argc, argv);
#elif defined _OPENMP /* the _omp build: run with OMP_NUM_THREADS=1 and 2 */
  bench_init(&b, "ref_gpt2_omp", argc, argv);
#else
  bench_init(&b, "ref_gpt2", argc, argv);
#endif
  RefGpt2Problem p;
  memset(&p, 0, sizeof p);
  if (sscanf(b.size, "b%d_t%d_c%d_v%d_l%d_nh%d", &p.B, &p.T, &p.C, &p.V, &p.L, &p.NH) != 6 ||
      p.B < 1 || p.T < 1 || p.V < 2 || p.L < 1 || p.NH < 1 || p.C < p.NH || p.C % p.NH) {
    fprintf(stderr, "%s: --size bB_tT_cC_vV_lL_nhNH expected (C a multiple of NH), not '%s'\n",
            argv[0], b.size);
    return 2;
  }
  int B = p.B, T = p.T, C = p.C, V = p.V, L = p.L;
  p.ntheta = ref_gpt2_num_params(T, C, V, L);
  p.theta = bench_alloc(p.ntheta, sizeof(double));
  p.params = bench_alloc(p.ntheta, sizeof(REAL));
  p.grad = bench_alloc(p.ntheta, sizeof(REAL));
  p.inputs = bench_alloc((long)B * T, sizeof(int));
  p.targets = bench_alloc((long)B * T, sizeof(int));
  for (long i = 0; i < p.ntheta; i++)
    p.theta[i] = 0.08 * sin(1.7 * i + 0.3);
  /* layernorm weights about 1: ln1w and ln2w of every layer, lnfw */
  long ln1w = (long)V * C + (long)T * C, ln2w = ln1w + 2L * L * C + L * (4L * C * C + 4L * C);
  for (long i = 0; i < (long)L * C; i++) {
    p.theta[ln1w + i] += 1.0;
    p.theta[ln2w + i] += 1.0;
  }
  for (long i = 0; i < C; i++)
    p.theta[p.ntheta - 2 * C + i] += 1.0;
  for (int bb = 0; bb < B; bb++)
    for (int t = 0; t <= T; t++) {
      long s = (long)bb * (T + 1) + t;
      int token = (int)((7 * s + 3 + (s * s) % 13) % V);
      if (t < T)
        p.inputs[bb * T + t] = token;
      if (t > 0)
        p.targets[bb * T + t - 1] = token;
    }
  sync_params(&p);
  b.theta_changed = sync_params;
  b.theta_ctx = &p;
  bench_problem(&b, p.theta, p.ntheta);
  bench_add(&b, "primal", primal, &p, 0);
  ADD_VGRADCC(&b, vg_ref_gpt2, &p);
  bench_add(&b, "hand", hand, &p, 1)->tape = hand_tape;
  int rc = bench_run(&b);
  free(p.theta);
  free(p.params);
  free(p.grad);
  free(p.inputs);
  free(p.targets);
  return rc;
}
