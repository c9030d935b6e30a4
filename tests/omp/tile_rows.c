/* omp/tile_rows: llm.c's tiled matmul_forward under `#pragma omp parallel
 * for` over the tiles (rows 4 at a time, each weight loaded once per tile
 * into an unrolled accumulator), then a loss over out.  With -fopenmp the
 * reverse of the tile runs in each thread with its sums into d_inp (a
 * buffer per thread, ad/omp_buffers.c) moved to a copy with the loops
 * swapped (ad/distribute.c), the copy's variables declared inside it,
 * so private to the thread; the row-pointer spelling computes its own
 * pointer into the thread's buffer.  FD f64/f32, 1/2/4 threads
 * (omp_check.h). */
#ifndef REAL
#define REAL double
#endif
#include <math.h>

#define MAX_OUT 96

REAL tiles(const REAL *inp, const REAL *weight, const REAL *bias, int BT, int C, int OC) {
  REAL out[MAX_OUT];
#pragma omp parallel for
  for (int obt = 0; obt < BT; obt += 4) {
    for (int o = 0; o < OC; o++) {
      REAL result[4];
      for (int ibt = 0; ibt < 4; ibt++)
        result[ibt] = bias[o];
      for (int i = 0; i < C; i++) {
        REAL w = weight[i + o * C];
        for (int ibt = 0; ibt < 4; ibt++) {
          const REAL *row = inp + (obt + ibt) * C;
          result[ibt] += row[i] * w;
        }
      }
      for (int ibt = 0; ibt < 4; ibt++)
        out[(obt + ibt) * OC + o] = result[ibt];
    }
  }
  REAL s = 0;
  for (int i = 0; i < BT * OC; i++)
    s += tanh(out[i]);
  return s;
}
#pragma vgrad value_and_grad(tiles) argnums(0, 1, 2)

#ifdef VG_DRIVER
#include "tile_rows.vg.h"
#include "omp_check.h"

#define BT 16
#define C 5
#define OC 3
static REAL in_inp[BT * C], in_w[OC * C], in_bias[OC];
static REAL loss(void) { return tiles(in_inp, in_w, in_bias, BT, C, OC); }

static void gradient(REAL *g) {
  for (int i = 0; i < BT * C + OC * C + OC; i++)
    g[i] = 0;
  tiles_value_and_grad(in_inp, in_w, in_bias, BT, C, OC, g, g + BT * C, g + BT * C + OC * C);
}

int main(void) {
  for (int i = 0; i < BT * C; i++)
    in_inp[i] = (REAL)0.1 * (REAL)(i % 7) - (REAL)0.3;
  for (int i = 0; i < OC * C; i++)
    in_w[i] = (REAL)0.09 * (REAL)(i % 5) - (REAL)0.2;
  for (int i = 0; i < OC; i++)
    in_bias[i] = (REAL)0.05 * (REAL)i - (REAL)0.1;
  REAL d_inp[BT * C] = {0}, d_w[OC * C] = {0}, d_bias[OC] = {0};
  omp_value("tiles", tiles_value_and_grad(in_inp, in_w, in_bias, BT, C, OC, d_inp, d_w, d_bias), loss());
  fd_check_array("d_inp", in_inp, d_inp, BT * C, loss);
  fd_check_array("d_weight", in_w, d_w, OC * C, loss);
  fd_check_array("d_bias", in_bias, d_bias, OC, loss);
  omp_same_across_threads("gradient", BT * C + OC * C + OC, gradient);
  return fd_report("tile_rows");
}
#endif
