/* omp/acts_slices: layers whose inputs and outputs are slices of one
 * activation buffer, as a GPT-2 training program lays out its
 * activations: each parallel layer reads one slice and writes the next,
 * and all iterations read the shared weights.  The reverse loop adds into
 * the weights' adjoint and into the input slice's adjoint from every
 * iteration: each thread adds into buffers of its own, added to the
 * adjoints after the loop, once the input slice is known to lie apart
 * from the output slice it reads and clears.  The last layer interleaves
 * input and output rows in one buffer (input at even rows, output at odd
 * ones): their spans overlap although no element is shared, and that
 * loop's reverse runs on one thread; so does a layer computed in place,
 * whose reverse reads the adjoint it adds to (buffers would lose those
 * sums).  FD f64/f32, 1/2/4 threads
 * (omp_check.h). */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

#define K 3
#define ROWS_MAX 8

static void dense(REAL *out, const REAL *inp, const REAL *w, int rows, int stride) {
#pragma omp parallel for
  for (int r = 0; r < rows; r++)
    for (int j = 0; j < K; j++) {
      REAL a = w[K * K + j];
      for (int k = 0; k < K; k++)
        a += w[j * K + k] * inp[r * stride + k];
      out[r * stride + j] = tanh(a);
    }
}

REAL acts_slices(const REAL *x, const REAL *w, int rows) {
  REAL acts[3 * ROWS_MAX * K];
  REAL mixed[2 * ROWS_MAX * K];
  for (int i = 0; i < rows * K; i++)
    acts[i] = x[i];
  dense(acts + rows * K, acts, w, rows, K);
  dense(acts + 2 * rows * K, acts + rows * K, w, rows, K);
  dense(acts + 2 * rows * K, acts + 2 * rows * K, w, rows, K); /* in place */
  for (int r = 0; r < rows; r++)
    for (int k = 0; k < K; k++)
      mixed[2 * r * K + k] = acts[(2 * rows + r) * K + k];
  dense(mixed + K, mixed, w, rows, 2 * K);
  REAL s = 0;
  for (int r = 0; r < rows; r++)
    for (int k = 0; k < K; k++)
      s += mixed[(2 * r + 1) * K + k] * (REAL)(k + 1);
  return s;
}
#pragma vgrad value_and_grad(acts_slices) argnums(0, 1)

#ifdef VG_DRIVER
#include "acts_slices.vg.h"
#include "omp_check.h"

#define ROWS 7
#define NW (K * K + K)
static REAL in_x[ROWS * K], in_w[NW];
static REAL loss(void) { return acts_slices(in_x, in_w, ROWS); }

static void gradient(REAL *g) {
  for (int i = 0; i < ROWS * K + NW; i++)
    g[i] = 0;
  acts_slices_value_and_grad(in_x, in_w, ROWS, g, g + ROWS * K);
}

int main(void) {
  for (int i = 0; i < ROWS * K; i++)
    in_x[i] = (REAL)0.2 * (REAL)(i % 7) - (REAL)0.6;
  for (int i = 0; i < NW; i++)
    in_w[i] = (REAL)0.15 * (REAL)(i % 5) - (REAL)0.3;
  REAL d_x[ROWS * K] = {0}, d_w[NW] = {0};
  omp_value("acts_slices", acts_slices_value_and_grad(in_x, in_w, ROWS, d_x, d_w), loss());
  fd_check_array("d_x", in_x, d_x, ROWS * K, loss);
  fd_check_array("d_w", in_w, d_w, NW, loss);
  omp_same_across_threads("gradient", ROWS * K + NW, gradient);
  return fd_report("acts_slices");
}
#endif
