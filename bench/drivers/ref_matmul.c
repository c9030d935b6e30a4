/* drivers/ref_matmul.c: a dense layer with llm.c's tiled product
 * (ref/matmul.c), float (double when built with -DREF_F64, for the
 * finite-difference check); the size comes from the label
 * btBT_cC_ocOC, e.g. --size bt256_c256_oc256. The hand-written forward +
 * backward (hand/matmul.c) is the floor and the reference gradient. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../hand/hand_ref.h"
#include "../ref/matmul.h"
#include "../ref/problems.h"
#include "common.h"

static void sync_params(void *ctx) {
  RefMatmulProblem *p = ctx;
  for (long i = 0; i < p->ntheta; i++)
    p->params[i] = (REAL)p->theta[i];
}

static double primal(void *ctx, double *grad) {
  (void)grad;
  const RefMatmulProblem *p = ctx;
  const REAL *inp = p->params, *weight = inp + p->BT * p->C, *bias = weight + p->OC * p->C;
  return ref_matmul_layer(p->BT, p->C, p->OC, inp, weight, bias, p->target);
}

static double hand(void *ctx, double *grad) {
  RefMatmulProblem *p = ctx;
  memset(p->grad, 0, p->ntheta * sizeof(REAL));
  const REAL *inp = p->params, *weight = inp + p->BT * p->C, *bias = weight + p->OC * p->C;
  REAL *d_inp = p->grad, *d_weight = d_inp + p->BT * p->C, *d_bias = d_weight + p->OC * p->C;
  REAL loss = ref_matmul_layer_hand(p->BT, p->C, p->OC, inp, weight, bias, p->target, d_inp,
                                    d_weight, d_bias);
  for (long i = 0; i < p->ntheta; i++)
    grad[i] += p->grad[i];
  return loss;
}

/* The hand-written pass keeps the output (then its gradient). */
static void hand_tape(void *ctx, long long *pushed, long long *peak) {
  const RefMatmulProblem *p = ctx;
  *pushed = *peak = (long long)p->BT * p->OC * sizeof(REAL);
}

int main(int argc, char **argv) {
  Bench b;
#ifdef REF_F64
  bench_init(&b, "ref_matmul_f64", argc, argv);
#elif defined _OPENMP /* the _omp build: run with OMP_NUM_THREADS=1 and 2 */
  bench_init(&b, "ref_matmul_omp", argc, argv);
#else
  bench_init(&b, "ref_matmul", argc, argv);
#endif
  RefMatmulProblem p;
  memset(&p, 0, sizeof p);
  if (sscanf(b.size, "bt%d_c%d_oc%d", &p.BT, &p.C, &p.OC) != 3 || p.BT < 1 || p.C < 1 ||
      p.OC < 1) {
    fprintf(stderr, "%s: --size btBT_cC_ocOC expected, not '%s'\n", argv[0], b.size);
    return 2;
  }
  p.ntheta = (long)p.BT * p.C + (long)p.OC * p.C + p.OC;
  p.theta = bench_alloc(p.ntheta, sizeof(double));
  p.params = bench_alloc(p.ntheta, sizeof(REAL));
  p.grad = bench_alloc(p.ntheta, sizeof(REAL));
  p.target = bench_alloc((long)p.BT * p.OC, sizeof(REAL));
  for (long i = 0; i < p.ntheta; i++)
    p.theta[i] = i < (long)p.BT * p.C ? sin(0.37 * i + 0.1) : 0.1 * sin(0.71 * i + 0.3);
  for (long i = 0; i < (long)p.BT * p.OC; i++)
    p.target[i] = (REAL)cos(0.53 * i);
  sync_params(&p);
  b.theta_changed = sync_params;
  b.theta_ctx = &p;
  bench_problem(&b, p.theta, p.ntheta);
  bench_add(&b, "primal", primal, &p, 0);
  ADD_VGRADCC(&b, vg_ref_matmul, &p);
  bench_add(&b, "hand", hand, &p, 1)->tape = hand_tape;
  int rc = bench_run(&b);
  free(p.theta);
  free(p.params);
  free(p.grad);
  free(p.target);
  return rc;
}
