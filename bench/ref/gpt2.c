/* ref/gpt2.c: a GPT-2 loss in the shape of llm.c's train_gpt2.c: one
 * forward function per layer kind writing into activation buffers (out
 * first, then the saved statistics, then the inputs), the parameters carved
 * out of one flat array by pointer arithmetic, the activations of all
 * layers carved out of one malloc'd block, each layer's slices found by
 * offsets l * B * T * C, the residual stream chosen by a conditional
 * pointer, matmuls with llm.c's tiled accumulator array, attention with
 * explicit pre-softmax and softmax buffers, llm.c's OpenMP pragmas on
 * the loops it parallelises (the benchmarks are built without -fopenmp, so
 * every method runs on one thread; vgradcc warns that the gradient's loops
 * stay serial). Our own code, float by default
 * (REF_F64: double, for the finite-difference check). vgradcc
 * differentiates the mean loss with respect to params; hand/gpt2.c is the
 * hand-written forward + backward. */
#include "gpt2.h"

#include <math.h>
#include <stdlib.h>

#pragma vgrad value_and_grad(ref_gpt2_loss) argnames(params)

long ref_gpt2_num_params(int T, int C, int V, int L) {
  return (long)V * C + (long)T * C + (long)L * (12L * C * C + 13L * C) + 2L * C;
}

static void encoder_forward(REAL *out, const int *inp, const REAL *wte, const REAL *wpe,
                            int B, int T, int C) {
  for (int b = 0; b < B; b++) {
    for (int t = 0; t < T; t++) {
      REAL *out_bt = out + b * T * C + t * C;
      int ix = inp[b * T + t];
      const REAL *wte_ix = wte + ix * C;
      const REAL *wpe_t = wpe + t * C;
      for (int i = 0; i < C; i++)
        out_bt[i] = wte_ix[i] + wpe_t[i];
    }
  }
}

static void layernorm_forward(REAL *out, REAL *mean, REAL *rstd, const REAL *inp,
                              const REAL *weight, const REAL *bias, int B, int T, int C) {
  REAL eps = 1e-5f;
  for (int b = 0; b < B; b++) {
    for (int t = 0; t < T; t++) {
      const REAL *x = inp + b * T * C + t * C;
      REAL m = 0.0f;
      for (int i = 0; i < C; i++)
        m += x[i];
      m = m / C;
      REAL v = 0.0f;
      for (int i = 0; i < C; i++) {
        REAL xshift = x[i] - m;
        v += xshift * xshift;
      }
      v = v / C;
      REAL s = 1.0f / SQRTF(v + eps);
      REAL *out_bt = out + b * T * C + t * C;
      for (int i = 0; i < C; i++) {
        REAL n = s * (x[i] - m);
        out_bt[i] = n * weight[i] + bias[i];
      }
      mean[b * T + t] = m;
      rstd[b * T + t] = s;
    }
  }
}

static void matmul_forward_naive(REAL *out, const REAL *inp, const REAL *weight,
                                 const REAL *bias, int B, int T, int C, int OC) {
#pragma omp parallel for collapse(2)
  for (int b = 0; b < B; b++) {
    for (int t = 0; t < T; t++) {
      int bt = b * T + t;
      for (int o = 0; o < OC; o++) {
        REAL val = (bias != NULL) ? bias[o] : 0.0f;
        for (int i = 0; i < C; i++)
          val += inp[bt * C + i] * weight[o * C + i];
        out[bt * OC + o] = val;
      }
    }
  }
}

static void matmul_forward(REAL *out, const REAL *inp, const REAL *weight, const REAL *bias,
                           int B, int T, int C, int OC) {
  const int LOOP_UNROLL = 8;
  if (B * T % LOOP_UNROLL != 0) {
    matmul_forward_naive(out, inp, weight, bias, B, T, C, OC);
    return;
  }
#pragma omp parallel for
  for (int obt = 0; obt < B * T; obt += LOOP_UNROLL) {
    for (int o = 0; o < OC; o++) {
      REAL result[LOOP_UNROLL];
      for (int ibt = 0; ibt < LOOP_UNROLL; ibt++)
        result[ibt] = (bias != NULL) ? bias[o] : 0.0f;
      for (int i = 0; i < C; i++) {
        REAL w = weight[i + o * C];
        for (int ibt = 0; ibt < LOOP_UNROLL; ibt++) {
          int bt = obt + ibt;
          result[ibt] += inp[bt * C + i] * w;
        }
      }
      for (int ibt = 0; ibt < LOOP_UNROLL; ibt++) {
        int bt = obt + ibt;
        out[bt * OC + o] = result[ibt];
      }
    }
  }
}

/* inp holds query, key, value (3C per position); causal attention per head
 * into out (C per position). preatt and att: B x NH x T x T. */
static void attention_forward(REAL *out, REAL *preatt, REAL *att, const REAL *inp, int B,
                              int T, int C, int NH) {
  int C3 = C * 3;
  int hs = C / NH;
  REAL scale = 1.0f / SQRTF(hs);
#pragma omp parallel for collapse(3)
  for (int b = 0; b < B; b++) {
    for (int t = 0; t < T; t++) {
      for (int h = 0; h < NH; h++) {
        const REAL *query_t = inp + b * T * C3 + t * C3 + h * hs;
        REAL *preatt_bth = preatt + b * NH * T * T + h * T * T + t * T;
        REAL *att_bth = att + b * NH * T * T + h * T * T + t * T;

        REAL maxval = -10000.0f;
        for (int t2 = 0; t2 <= t; t2++) {
          const REAL *key_t2 = inp + b * T * C3 + t2 * C3 + h * hs + C;
          REAL val = 0.0f;
          for (int i = 0; i < hs; i++)
            val += query_t[i] * key_t2[i];
          val *= scale;
          if (val > maxval)
            maxval = val;
          preatt_bth[t2] = val;
        }

        REAL expsum = 0.0f;
        for (int t2 = 0; t2 <= t; t2++) {
          REAL expv = EXPF(preatt_bth[t2] - maxval);
          expsum += expv;
          att_bth[t2] = expv;
        }
        REAL expsum_inv = expsum == 0.0f ? 0.0f : 1.0f / expsum;

        for (int t2 = 0; t2 < T; t2++) {
          if (t2 <= t)
            att_bth[t2] *= expsum_inv;
          else
            att_bth[t2] = 0.0f;
        }

        REAL *out_bth = out + b * T * C + t * C + h * hs;
        for (int i = 0; i < hs; i++)
          out_bth[i] = 0.0f;
        for (int t2 = 0; t2 <= t; t2++) {
          const REAL *value_t2 = inp + b * T * C3 + t2 * C3 + h * hs + C * 2;
          REAL att_btht2 = att_bth[t2];
          for (int i = 0; i < hs; i++)
            out_bth[i] += att_btht2 * value_t2[i];
        }
      }
    }
  }
}

static void gelu_forward(REAL *out, const REAL *inp, int N) {
  const REAL GELU_SCALING_FACTOR = 0.7978845608028654f; /* sqrt(2 / pi) */
  for (int i = 0; i < N; i++) {
    REAL x = inp[i];
    REAL cube = 0.044715f * x * x * x;
    out[i] = 0.5f * x * (1.0f + TANHF(GELU_SCALING_FACTOR * (x + cube)));
  }
}

static void residual_forward(REAL *out, const REAL *inp1, const REAL *inp2, int N) {
  for (int i = 0; i < N; i++)
    out[i] = inp1[i] + inp2[i];
}

static void softmax_forward(REAL *probs, const REAL *logits, int B, int T, int V) {
#pragma omp parallel for collapse(2)
  for (int b = 0; b < B; b++) {
    for (int t = 0; t < T; t++) {
      const REAL *logits_bt = logits + b * T * V + t * V;
      REAL *probs_bt = probs + b * T * V + t * V;
      REAL maxval = -10000.0f;
      for (int i = 0; i < V; i++)
        if (logits_bt[i] > maxval)
          maxval = logits_bt[i];
      REAL sum = 0.0f;
      for (int i = 0; i < V; i++) {
        probs_bt[i] = EXPF(logits_bt[i] - maxval);
        sum += probs_bt[i];
      }
      for (int i = 0; i < V; i++)
        probs_bt[i] /= sum;
    }
  }
}

static void crossentropy_forward(REAL *losses, const REAL *probs, const int *targets, int B,
                                 int T, int V) {
  for (int b = 0; b < B; b++) {
    for (int t = 0; t < T; t++) {
      const REAL *probs_bt = probs + b * T * V + t * V;
      int ix = targets[b * T + t];
      losses[b * T + t] = -LOGF(probs_bt[ix]);
    }
  }
}

REAL ref_gpt2_loss(int B, int T, int C, int V, int L, int NH, const REAL *params,
                   const int *inputs, const int *targets) {
  /* the parameters, carved out of params */
  const REAL *wte = params;
  const REAL *wpe = wte + V * C;
  const REAL *ln1w = wpe + T * C;
  const REAL *ln1b = ln1w + L * C;
  const REAL *qkvw = ln1b + L * C;
  const REAL *qkvb = qkvw + L * 3 * C * C;
  const REAL *attprojw = qkvb + L * 3 * C;
  const REAL *attprojb = attprojw + L * C * C;
  const REAL *ln2w = attprojb + L * C;
  const REAL *ln2b = ln2w + L * C;
  const REAL *fcw = ln2b + L * C;
  const REAL *fcb = fcw + L * 4 * C * C;
  const REAL *fcprojw = fcb + L * 4 * C;
  const REAL *fcprojb = fcprojw + L * C * 4 * C;
  const REAL *lnfw = fcprojb + L * C;
  const REAL *lnfb = lnfw + C;

  /* the activations, carved out of one block */
  int BT = B * T;
  int BTC = B * T * C;
  int ATT = B * NH * T * T;
  size_t num_acts = (size_t)BTC + (size_t)L * (4 * BT + 18 * BTC + 2 * ATT) +
                    BTC + 2 * BT + 2 * (size_t)BT * V + BT;
  REAL *acts = malloc(num_acts * sizeof(REAL));
  REAL *encoded = acts;
  REAL *ln1 = encoded + BTC;
  REAL *ln1_mean = ln1 + L * BTC;
  REAL *ln1_rstd = ln1_mean + L * BT;
  REAL *qkv = ln1_rstd + L * BT;
  REAL *atty = qkv + L * 3 * BTC;
  REAL *preatt = atty + L * BTC;
  REAL *att = preatt + L * ATT;
  REAL *attproj = att + L * ATT;
  REAL *residual2 = attproj + L * BTC;
  REAL *ln2 = residual2 + L * BTC;
  REAL *ln2_mean = ln2 + L * BTC;
  REAL *ln2_rstd = ln2_mean + L * BT;
  REAL *fch = ln2_rstd + L * BT;
  REAL *fch_gelu = fch + L * 4 * BTC;
  REAL *fcproj = fch_gelu + L * 4 * BTC;
  REAL *residual3 = fcproj + L * BTC;
  REAL *lnf = residual3 + L * BTC;
  REAL *lnf_mean = lnf + BTC;
  REAL *lnf_rstd = lnf_mean + BT;
  REAL *logits = lnf_rstd + BT;
  REAL *probs = logits + BT * V;
  REAL *losses = probs + BT * V;

  encoder_forward(encoded, inputs, wte, wpe, B, T, C);
  const REAL *residual;
  for (int l = 0; l < L; l++) {
    residual = l == 0 ? encoded : residual3 + (l - 1) * BTC;

    const REAL *l_ln1w = ln1w + l * C;
    const REAL *l_ln1b = ln1b + l * C;
    const REAL *l_qkvw = qkvw + l * 3 * C * C;
    const REAL *l_qkvb = qkvb + l * 3 * C;
    const REAL *l_attprojw = attprojw + l * C * C;
    const REAL *l_attprojb = attprojb + l * C;
    const REAL *l_ln2w = ln2w + l * C;
    const REAL *l_ln2b = ln2b + l * C;
    const REAL *l_fcw = fcw + l * 4 * C * C;
    const REAL *l_fcb = fcb + l * 4 * C;
    const REAL *l_fcprojw = fcprojw + l * C * 4 * C;
    const REAL *l_fcprojb = fcprojb + l * C;

    REAL *l_ln1 = ln1 + l * BTC;
    REAL *l_ln1_mean = ln1_mean + l * BT;
    REAL *l_ln1_rstd = ln1_rstd + l * BT;
    REAL *l_qkv = qkv + l * 3 * BTC;
    REAL *l_atty = atty + l * BTC;
    REAL *l_preatt = preatt + l * ATT;
    REAL *l_att = att + l * ATT;
    REAL *l_attproj = attproj + l * BTC;
    REAL *l_residual2 = residual2 + l * BTC;
    REAL *l_ln2 = ln2 + l * BTC;
    REAL *l_ln2_mean = ln2_mean + l * BT;
    REAL *l_ln2_rstd = ln2_rstd + l * BT;
    REAL *l_fch = fch + l * 4 * BTC;
    REAL *l_fch_gelu = fch_gelu + l * 4 * BTC;
    REAL *l_fcproj = fcproj + l * BTC;
    REAL *l_residual3 = residual3 + l * BTC;

    layernorm_forward(l_ln1, l_ln1_mean, l_ln1_rstd, residual, l_ln1w, l_ln1b, B, T, C);
    matmul_forward(l_qkv, l_ln1, l_qkvw, l_qkvb, B, T, C, 3 * C);
    attention_forward(l_atty, l_preatt, l_att, l_qkv, B, T, C, NH);
    matmul_forward(l_attproj, l_atty, l_attprojw, l_attprojb, B, T, C, C);
    residual_forward(l_residual2, residual, l_attproj, BTC);
    layernorm_forward(l_ln2, l_ln2_mean, l_ln2_rstd, l_residual2, l_ln2w, l_ln2b, B, T, C);
    matmul_forward(l_fch, l_ln2, l_fcw, l_fcb, B, T, C, 4 * C);
    gelu_forward(l_fch_gelu, l_fch, 4 * BTC);
    matmul_forward(l_fcproj, l_fch_gelu, l_fcprojw, l_fcprojb, B, T, 4 * C, C);
    residual_forward(l_residual3, l_residual2, l_fcproj, BTC);
  }
  residual = residual3 + (L - 1) * BTC;
  layernorm_forward(lnf, lnf_mean, lnf_rstd, residual, lnfw, lnfb, B, T, C);
  matmul_forward(logits, lnf, wte, NULL, B, T, C, V);
  softmax_forward(probs, logits, B, T, V);
  crossentropy_forward(losses, probs, targets, B, T, V);

  REAL mean_loss = 0.0f;
  for (int i = 0; i < BT; i++)
    mean_loss += losses[i];
  mean_loss /= BT;
  free(acts);
  return mean_loss;
}
