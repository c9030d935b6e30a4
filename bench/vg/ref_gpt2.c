/* vg/ref_gpt2.c: calls ref_gpt2_loss_value_and_grad (float, or double in
 * the REF_F64 build). */
#include <string.h>

#ifdef REF_F64
#include "ref_gpt2_f64.vg.h"
#elif defined _OPENMP /* the _omp build, vgradcc -fopenmp */
#include "ref_gpt2_omp.vg.h"
#else
#include "ref_gpt2.vg.h"
#endif
#include "../ref/problems.h"
#include "vg_bench.h"

double vg_ref_gpt2(void *ctx, double *grad) {
  RefGpt2Problem *p = ctx;
  memset(p->grad, 0, p->ntheta * sizeof(REAL));
  REAL loss = ref_gpt2_loss_value_and_grad(p->B, p->T, p->C, p->V, p->L, p->NH, p->params,
                                           p->inputs, p->targets, p->grad);
  for (long i = 0; i < p->ntheta; i++)
    grad[i] += p->grad[i];
  return loss;
}
