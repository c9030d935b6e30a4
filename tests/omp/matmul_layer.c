/* omp/matmul_layer: a dense layer out = x W + bias under `#pragma omp
 * parallel for collapse(2) schedule(static)`, its accumulator private to
 * each (b, j), out a local array the iterations share, then a loss over
 * out under reduction(+: s).  With -fopenmp both loops run in parallel in
 * the gradient: d_W, d_x and d_bias gather every (b, j)'s contribution in
 * a buffer per thread (ad/omp_buffers.c), added to them after the loop;
 * d_out[i] is read by its own iteration only.  FD f64/f32,
 * 1/2/4 threads (omp_check.h). */
#ifndef REAL
#define REAL double
#endif

#define MAX_OUT 64

REAL layer_loss(const REAL *x, const REAL *W, const REAL *bias, int B, int K, int M) {
  REAL out[MAX_OUT];
#pragma omp parallel for collapse(2) schedule(static)
  for (int b = 0; b < B; b++)
    for (int j = 0; j < M; j++) {
      REAL acc = bias[j];
      for (int k = 0; k < K; k++)
        acc += x[b * K + k] * W[k * M + j];
      out[b * M + j] = acc;
    }
  REAL s = 0;
#pragma omp parallel for reduction(+: s)
  for (int i = 0; i < B * M; i++)
    s += out[i] * out[i];
  return s;
}
#pragma vgrad value_and_grad(layer_loss) argnums(0, 1, 2)

#ifdef VG_DRIVER
#include "matmul_layer.vg.h"
#include "omp_check.h"

#define B 5
#define K 4
#define M 6
static REAL in_x[B * K], in_W[K * M], in_bias[M];
static REAL loss(void) { return layer_loss(in_x, in_W, in_bias, B, K, M); }

static void gradient(REAL *g) {
  for (int i = 0; i < B * K + K * M + M; i++)
    g[i] = 0;
  layer_loss_value_and_grad(in_x, in_W, in_bias, B, K, M, g, g + B * K, g + B * K + K * M);
}

int main(void) {
  for (int i = 0; i < B * K; i++)
    in_x[i] = (REAL)0.1 * (REAL)(i % 5) - (REAL)0.2;
  for (int i = 0; i < K * M; i++)
    in_W[i] = (REAL)0.07 * (REAL)(i % 9) - (REAL)0.3;
  for (int i = 0; i < M; i++)
    in_bias[i] = (REAL)0.05 * (REAL)i - (REAL)0.1;
  REAL d_x[B * K] = {0}, d_W[K * M] = {0}, d_bias[M] = {0};
  omp_value("layer_loss", layer_loss_value_and_grad(in_x, in_W, in_bias, B, K, M, d_x, d_W, d_bias), loss());
  fd_check_array("d_x", in_x, d_x, B * K, loss);
  fd_check_array("d_W", in_W, d_W, K * M, loss);
  fd_check_array("d_bias", in_bias, d_bias, M, loss);
  omp_same_across_threads("gradient", B * K + K * M + M, gradient);
  return fd_report("matmul_layer");
}
#endif
