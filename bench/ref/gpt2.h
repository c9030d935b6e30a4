/* ref/gpt2.h: the loss of a small GPT-2 (token and position embeddings, L
 * pre-norm transformer blocks with causal multi-head attention and a GELU
 * MLP, a final layernorm, logits through the tied token embedding, softmax
 * cross-entropy), written as llm.c's train_gpt2.c writes its forward pass
 * (see gpt2.c). */
#ifndef REF_GPT2_H
#define REF_GPT2_H

#include "real.h"

/* Number of parameters, laid out in this order (llm.c's ParameterTensors):
 * wte (V*C), wpe (T*C), ln1w, ln1b (L*C each), qkvw (L*3C*C), qkvb (L*3C),
 * attprojw (L*C*C), attprojb (L*C), ln2w, ln2b (L*C each), fcw (L*4C*C),
 * fcb (L*4C), fcprojw (L*C*4C), fcprojb (L*C), lnfw, lnfb (C each). */
long ref_gpt2_num_params(int T, int C, int V, int L);

/* Mean cross-entropy of predicting targets (B*T token ids < V) from inputs
 * (B*T token ids) with the parameters params (layout above); NH heads,
 * C a multiple of NH. */
REAL ref_gpt2_loss(int B, int T, int C, int V, int L, int NH, const REAL *params,
                   const int *inputs, const int *targets);

#endif
