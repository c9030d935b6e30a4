/* The GPT-2 loss of bench/ref/gpt2.c (llm.c's train_gpt2.c forward pass:
 * parameters carved out of one flat array, activations out of one
 * malloc'd block, the residual stream chosen by a conditional pointer,
 * tiled matmuls, OpenMP pragmas), differentiated as it is, against central
 * finite differences (tests/fdcheck.h) for every parameter: B 1, T 6,
 * C 8, V 16, L 2, NH 2 (1,936 parameters), float64 and float32.  The
 * matmul's tiled path needs B * T a multiple of its tile (8): T 8 and
 * B 1 takes it as well (second call).  The gradient is also compared
 * entry by entry with bench/hand/gpt2.c's hand-written backward of the
 * same model (included below, a translation unit of its own in the
 * benchmarks): they differ only in the order of their sums, so within
 * |g - h| <= 1e-9 + 1e-7 max(|g|, |h|) in double and 1e-5 + 1e-3
 * max(|g|, |h|) in float. */
#include <math.h>
#include <stdlib.h>

#include "fdcheck.h"
#include "gpt2.h"
#include "gpt2.vg.h"
#include "../../../bench/hand/gpt2.c" /* ref_gpt2_loss_hand */

enum { V = 16, C = 8, L = 2, NH = 2 };
static int B, T;
static REAL *params;
static int inputs[16], targets[16];

static REAL loss(void) { return ref_gpt2_loss(B, T, C, V, L, NH, params, inputs, targets); }

static void check(int b, int t, const char *what) {
  B = b;
  T = t;
  long n = ref_gpt2_num_params(T, C, V, L);
  params = malloc((size_t)n * sizeof(REAL));
  REAL *d_params = calloc((size_t)n, sizeof(REAL));
  for (long i = 0; i < n; i++)
    params[i] = (REAL)(0.08 * sin(0.7 * (double)i + 0.3) + (i % 11 == 0 ? 0.5 : 0.0));
  for (int i = 0; i < B * T; i++) {
    inputs[i] = (3 * i + 1) % V;
    targets[i] = (5 * i + 2) % V;
  }
  REAL value = ref_gpt2_loss_value_and_grad(B, T, C, V, L, NH, params, inputs, targets, d_params);
  fd_value(what, value, loss());
  fd_check_array(what, params, d_params, (int)n, loss);
  REAL *d_hand = calloc((size_t)n, sizeof(REAL));
  REAL hand_value = ref_gpt2_loss_hand(B, T, C, V, L, NH, params, inputs, targets, d_hand, NULL);
  fd_value(what, value, hand_value);
  double abs_tol = FD_IS_FLOAT ? 1e-5 : 1e-9, rel_tol = FD_IS_FLOAT ? 1e-3 : 1e-7;
  for (long i = 0; i < n; i++) {
    fd_checks++;
    if (fabs(d_params[i] - d_hand[i]) > abs_tol + rel_tol * fd_max(fabs(d_params[i]), fabs(d_hand[i]))) {
      fd_failures++;
      printf("MISMATCH %s against the hand-written backward [%ld]: %.9g, hand %.9g\n", what, i, d_params[i],
             d_hand[i]);
    }
  }
  free(params);
  free(d_params);
  free(d_hand);
}

int main(void) {
  check(1, 6, "d_params (naive matmul)");
  check(1, 8, "d_params (tiled matmul)");
  return fd_report("realistic/gpt2");
}
