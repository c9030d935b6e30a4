/* readonly_loads: a value loaded from memory the function never writes
 * (weights, inputs) into a variable of the loop body is loaded again at
 * the start of each reverse iteration instead of being taped (issue 13,
 * point 3; ad/recompute.c). Spellings: `REAL w = weight[o * C + i]`,
 * through a row pointer `wrow[i]`, a dereference `*(inp + b * C + i)`, a
 * cast `(REAL)bias[o]`, and llm.c's tiled matmul, whose weight is loaded
 * once per tile into `w` and multiplied into an unrolled accumulator.
 * The drivers check the tape's bytes exactly: both tape only tanh's value
 * per output element (a double); before, every load pushed its variable's
 * old value (a REAL per inner iteration and variable).
 *
 * Values and gradients (every entry of inp, weight, bias) are checked
 * against central finite differences, float64 and float32, with
 * tests/fdcheck.h's steps and tolerances (|g - n| <= 1e-6 + 1e-5
 * max(|g|,|n|) for double, 2e-3 + 2e-2 max(...) for float). */
#include <math.h>
#include <stdlib.h>
#ifndef REAL
#define REAL double
#endif

REAL dense(const REAL *inp, const REAL *weight, const REAL *bias, int B, int C, int OC) {
  REAL loss = 0;
  for (int b = 0; b < B; b++)
    for (int o = 0; o < OC; o++) {
      const REAL *wrow = weight + o * C;
      REAL acc = (REAL)bias[o];
      for (int i = 0; i < C; i++) {
        REAL w = wrow[i];
        REAL x = *(inp + b * C + i);
        REAL w2 = weight[o * C + (i + 1) % C];
        acc += w * x + (REAL)0.1 * w2 * x;
      }
      loss += tanh(acc);
    }
  return loss;
}
#pragma vgrad value_and_grad(dense) argnums(0, 1, 2)

REAL tiled(const REAL *inp, const REAL *weight, const REAL *bias, int BT, int C, int OC) {
  const int LOOP_UNROLL = 2;
  REAL loss = 0;
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
      for (int ibt = 0; ibt < LOOP_UNROLL; ibt++)
        loss += tanh(result[ibt]);
    }
  }
  return loss;
}
#pragma vgrad value_and_grad(tiled) argnums(0, 1, 2)

#ifdef VG_DRIVER
#include <vgrad.h>

#include "readonly_loads.vg.h"
#include "fdcheck.h"

enum { B = 4, C = 3, OC = 2 };
static REAL in_inp[B * C], in_w[OC * C], in_b[OC];
static REAL loss_dense(void) { return dense(in_inp, in_w, in_b, B, C, OC); }
static REAL loss_tiled(void) { return tiled(in_inp, in_w, in_b, B, C, OC); }

int main(void) {
  for (int i = 0; i < B * C; i++)
    in_inp[i] = (REAL)(0.3 * sin(1.7 * i + 0.2));
  for (int i = 0; i < OC * C; i++)
    in_w[i] = (REAL)(0.5 * cos(0.9 * i + 0.4));
  for (int i = 0; i < OC; i++)
    in_b[i] = (REAL)(0.1 * i - 0.05);
  vg_memory_stats stats;
  REAL d_inp[B * C] = {0}, d_w[OC * C] = {0}, d_b[OC] = {0};
  vg_memory_stats_reset();
  fd_value("dense", dense_value_and_grad(in_inp, in_w, in_b, B, C, OC, d_inp, d_w, d_b), loss_dense());
  vg_memory_stats_get(&stats);
  fd_value("dense: tape bytes pushed", (double)stats.tape_bytes_pushed, B * OC * sizeof(double));
  fd_check_array("dense d_inp", in_inp, d_inp, B * C, loss_dense);
  fd_check_array("dense d_weight", in_w, d_w, OC * C, loss_dense);
  fd_check_array("dense d_bias", in_b, d_b, OC, loss_dense);

  REAL t_inp[B * C] = {0}, t_w[OC * C] = {0}, t_b[OC] = {0};
  vg_memory_stats_reset();
  fd_value("tiled", tiled_value_and_grad(in_inp, in_w, in_b, B, C, OC, t_inp, t_w, t_b), loss_tiled());
  vg_memory_stats_get(&stats);
  fd_value("tiled: tape bytes pushed", (double)stats.tape_bytes_pushed,
           B * OC * sizeof(double));
  fd_check_array("tiled d_inp", in_inp, t_inp, B * C, loss_tiled);
  fd_check_array("tiled d_weight", in_w, t_w, OC * C, loss_tiled);
  fd_check_array("tiled d_bias", in_b, t_b, OC, loss_tiled);
  return fd_report("readonly_loads");
}
#endif
