/* hand_ref.h: hand-written forward + backward passes of the float
 * benchmarks of the second set (ref/), the generated functions' calling
 * convention (gradients accumulated into caller-zeroed buffers). REAL is
 * float, double with -DREF_F64 (ref/real.h). */
#ifndef BENCH_HAND_REF_H
#define BENCH_HAND_REF_H

#include "../ref/real.h"

/* Value and gradient of ref_matmul_layer (ref/matmul.c) with respect to
 * inp, weight and bias; REAL is float, double with -DREF_F64. */
REAL ref_matmul_layer_hand(int BT, int C, int OC, const REAL *inp, const REAL *weight,
                           const REAL *bias, const REAL *target, REAL *d_inp, REAL *d_weight,
                           REAL *d_bias);

/* Value and gradient of ref_gpt2_loss (ref/gpt2.c) with respect to params;
 * keeps the activations of the forward pass and their gradients (the
 * bytes of both in *stored_bytes when it is not NULL). */
REAL ref_gpt2_loss_hand(int B, int T, int C, int V, int L, int NH, const REAL *params,
                        const int *inputs, const int *targets, REAL *d_params,
                        long long *stored_bytes);

#endif
