/* tensors_gpt2_loss (llm.c's ParameterTensors and ActivationTensors,
 * pointed into their memory through arrays of pointers to the members)
 * against ref_gpt2_loss, the same model carved out by pointer arithmetic:
 * values and gradients agree to rounding (|g - r| <= 1e-12 + 1e-10
 * max(|g|, |r|) in double, 1e-6 + 1e-4 max in float: the two are the same
 * operations in the same order, give or take the compiler's), and the
 * gradient against central differences (tests/fdcheck.h) for every
 * parameter: B 1, T 6, C 8, V 16, L 2, NH 2 (1,936 parameters). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "fdcheck.h"
#include "gpt2.h"
#include "gpt2_tensors.vg.h"

REAL tensors_gpt2_loss(int B, int T, int C, int V, int L, int NH, REAL *params_memory, const int *inputs,
                       const int *targets);

enum { B = 1, T = 6, C = 8, V = 16, L = 2, NH = 2 };
static REAL *params;
static int inputs[B * T], targets[B * T];

static REAL loss(void) { return tensors_gpt2_loss(B, T, C, V, L, NH, params, inputs, targets); }

int main(void) {
  long n = ref_gpt2_num_params(T, C, V, L);
  params = malloc((size_t)n * sizeof(REAL));
  REAL *d_params = calloc((size_t)n, sizeof(REAL)), *d_ref = calloc((size_t)n, sizeof(REAL));
  for (long i = 0; i < n; i++)
    params[i] = (REAL)(0.08 * sin(0.7 * (double)i + 0.3) + (i % 11 == 0 ? 0.5 : 0.0));
  for (int i = 0; i < B * T; i++) {
    inputs[i] = (3 * i + 1) % V;
    targets[i] = (5 * i + 2) % V;
  }
  REAL value = tensors_gpt2_loss_value_and_grad(B, T, C, V, L, NH, params, inputs, targets, d_params);
  REAL ref = ref_gpt2_loss_value_and_grad(B, T, C, V, L, NH, params, inputs, targets, d_ref);
  fd_value("tensors_gpt2_loss", value, loss());
  fd_value("tensors_gpt2_loss against ref_gpt2_loss", value, ref);
  double abs_tol = FD_IS_FLOAT ? 1e-6 : 1e-12, rel_tol = FD_IS_FLOAT ? 1e-4 : 1e-10;
  for (long i = 0; i < n; i++) {
    fd_checks++;
    if (fabs(d_params[i] - d_ref[i]) > abs_tol + rel_tol * fd_max(fabs(d_params[i]), fabs(d_ref[i]))) {
      fd_failures++;
      printf("MISMATCH d_params[%ld]: %.17g, ref_gpt2_loss's %.17g\n", i, d_params[i], d_ref[i]);
    }
  }
  fd_check_array("d_params_memory", params, d_params, (int)n, loss);
  free(params);
  free(d_params);
  free(d_ref);
  return fd_report("realistic/gpt2_tensors");
}
