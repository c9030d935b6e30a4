/* omp/layers: a parallel loop inside a serial loop over layers, as GPT-2
 * code puts `#pragma omp parallel for` inside its layer loop: each layer
 * h <- tanh(W_l h + c_l) over the rows of h, into a second buffer that a
 * second parallel loop copies back.  The parallel loop's gradient keeps values on per-thread tapes;
 * each layer's instance keeps its own, which wait on the gradient's tape
 * until the reverse sweep reaches that layer.  FD f64/f32, 1/2/4 threads
 * (omp_check.h). */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

#define W 4

REAL layers(const REAL *x, const REAL *Wt, int rows, int L) {
  REAL h[16 * W], hn[16 * W];
  for (int i = 0; i < rows * W; i++)
    h[i] = x[i];
  for (int l = 0; l < L; l++) {
#pragma omp parallel for schedule(static, 2)
    for (int r = 0; r < rows; r++)
      for (int j = 0; j < W; j++) {
        REAL a = (REAL)0.1 * (REAL)l;
        for (int k = 0; k < W; k++)
          a += Wt[(l * W + j) * W + k] * h[r * W + k];
        hn[r * W + j] = tanh(a);
      }
#pragma omp parallel for
    for (int i = 0; i < rows * W; i++)
      h[i] = hn[i];
  }
  REAL s = 0;
  for (int i = 0; i < rows * W; i++)
    s += h[i] * h[i];
  return s;
}
#pragma vgrad value_and_grad(layers) argnums(0, 1)

#ifdef VG_DRIVER
#include "layers.vg.h"
#include "omp_check.h"

#define ROWS 9
#define L 3
static REAL in_x[ROWS * W], in_W[L * W * W];
static REAL loss(void) { return layers(in_x, in_W, ROWS, L); }

static void gradient(REAL *g) {
  for (int i = 0; i < ROWS * W + L * W * W; i++)
    g[i] = 0;
  layers_value_and_grad(in_x, in_W, ROWS, L, g, g + ROWS * W);
}

int main(void) {
  for (int i = 0; i < ROWS * W; i++)
    in_x[i] = (REAL)0.15 * (REAL)(i % 9) - (REAL)0.6;
  for (int i = 0; i < L * W * W; i++)
    in_W[i] = (REAL)0.12 * (REAL)(i % 11) - (REAL)0.55;
  REAL d_x[ROWS * W] = {0}, d_W[L * W * W] = {0};
  omp_value("layers", layers_value_and_grad(in_x, in_W, ROWS, L, d_x, d_W), loss());
  fd_check_array("d_x", in_x, d_x, ROWS * W, loss);
  fd_check_array("d_W", in_W, d_W, L * W * W, loss);
  omp_same_across_threads("gradient", ROWS * W + L * W * W, gradient);
  return fd_report("layers");
}
#endif
