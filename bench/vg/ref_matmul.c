/* vg/ref_matmul.c: calls ref_matmul_layer_value_and_grad (float, or double
 * in the REF_F64 build). */
#include <string.h>

#ifdef REF_F64
#include "ref_matmul_f64.vg.h"
#elif defined _OPENMP /* the _omp build, vgradcc -fopenmp */
#include "ref_matmul_omp.vg.h"
#else
#include "ref_matmul.vg.h"
#endif
#include "../ref/problems.h"
#include "vg_bench.h"

double vg_ref_matmul(void *ctx, double *grad) {
  RefMatmulProblem *p = ctx;
  memset(p->grad, 0, p->ntheta * sizeof(REAL));
  const REAL *inp = p->params, *weight = inp + p->BT * p->C, *bias = weight + p->OC * p->C;
  REAL *d_inp = p->grad, *d_weight = d_inp + p->BT * p->C, *d_bias = d_weight + p->OC * p->C;
  REAL loss = ref_matmul_layer_value_and_grad(p->BT, p->C, p->OC, inp, weight, bias, p->target,
                                              d_inp, d_weight, d_bias);
  for (long i = 0; i < p->ntheta; i++)
    grad[i] += p->grad[i];
  return loss;
}
