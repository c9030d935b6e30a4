/* ref/matmul.c: a dense layer whose product is written as llm.c's CPU
 * matmul_forward writes it: rows of the output taken LOOP_UNROLL at a time,
 * each weight element loaded once per tile and multiplied into an unrolled
 * accumulator array result[LOOP_UNROLL], with the plain triple loop as the
 * fallback when the row count is not a multiple of the tile, with llm.c's
 * OpenMP pragmas (built without -fopenmp here: one thread). Our own code;
 * vgradcc differentiates the squared error with respect to inp, weight and
 * bias. hand/matmul.c is the hand-written forward + backward. */
#include "matmul.h"

#include <math.h>
#include <stdlib.h>

#pragma vgrad value_and_grad(ref_matmul_layer) argnames(inp, weight, bias)

static void matmul_forward_naive(REAL *out, const REAL *inp, const REAL *weight,
                                 const REAL *bias, int BT, int C, int OC) {
#pragma omp parallel for collapse(2)
  for (int bt = 0; bt < BT; bt++) {
    for (int o = 0; o < OC; o++) {
      REAL val = bias[o];
      for (int i = 0; i < C; i++)
        val += inp[bt * C + i] * weight[o * C + i];
      out[bt * OC + o] = val;
    }
  }
}

static void matmul_forward(REAL *out, const REAL *inp, const REAL *weight, const REAL *bias,
                           int BT, int C, int OC) {
  const int LOOP_UNROLL = 8;
  if (BT % LOOP_UNROLL != 0) {
    matmul_forward_naive(out, inp, weight, bias, BT, C, OC);
    return;
  }
#pragma omp parallel for
  for (int obt = 0; obt < BT; obt += LOOP_UNROLL) {
    for (int o = 0; o < OC; o++) {
      REAL result[LOOP_UNROLL];
      for (int ibt = 0; ibt < LOOP_UNROLL; ibt++)
        result[ibt] = bias[o];
      for (int i = 0; i < C; i++) {
        REAL w = weight[i + o * C];
        for (int ibt = 0; ibt < LOOP_UNROLL; ibt++) {
          int bt = obt + ibt;
          result[ibt] += inp[bt * C + i] * w;
        }
      }
      for (int ibt = 0; ibt < LOOP_UNROLL; ibt++) {
        int bt = obt + ibt;
        out[bt * OC + o] = result[ibt];
      }
    }
  }
}

REAL ref_matmul_layer(int BT, int C, int OC, const REAL *inp, const REAL *weight,
                      const REAL *bias, const REAL *target) {
  REAL *out = malloc((size_t)BT * OC * sizeof(REAL));
  matmul_forward(out, inp, weight, bias, BT, C, OC);
  REAL loss = 0.0f;
  for (int i = 0; i < BT * OC; i++) {
    REAL diff = out[i] - target[i];
    loss += 0.5f * diff * diff;
  }
  free(out);
  return loss / BT;
}
