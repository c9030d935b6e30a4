/* ref/matmul.h: one dense layer, out = inp weight^T + bias, with a squared
 * error against a target, forward written as llm.c's tiled matmul_forward
 * (see matmul.c). */
#ifndef REF_MATMUL_H
#define REF_MATMUL_H

#include "real.h"

/* inp (BT x C), weight (OC x C), bias (OC), target (BT x OC): returns
 * 1/2 sum (out - target)^2 / BT. */
REAL ref_matmul_layer(int BT, int C, int OC, const REAL *inp, const REAL *weight,
                      const REAL *bias, const REAL *target);

#endif
