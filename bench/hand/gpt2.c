/* hand/gpt2.c: forward + backward of ref/gpt2.c's loss by hand, as a
 * training program in C does it: the forward pass keeps every activation
 * (the same layer functions as ref/gpt2.c, with the same tiled matmul), the
 * backward pass walks the layers in reverse with one gradient buffer per
 * activation, the softmax and cross-entropy fused. */
#include "hand_ref.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- forward (as ref/gpt2.c) ---- */

static void encoder_forward(REAL *out, const int *inp, const REAL *wte, const REAL *wpe,
                            int B, int T, int C) {
  for (int bt = 0; bt < B * T; bt++) {
    const REAL *wte_ix = wte + inp[bt] * C;
    const REAL *wpe_t = wpe + (bt % T) * C;
    for (int i = 0; i < C; i++)
      out[bt * C + i] = wte_ix[i] + wpe_t[i];
  }
}

static void layernorm_forward(REAL *out, REAL *mean, REAL *rstd, const REAL *inp,
                              const REAL *weight, const REAL *bias, int BT, int C) {
  for (int bt = 0; bt < BT; bt++) {
    const REAL *x = inp + bt * C;
    REAL m = 0.0f;
    for (int i = 0; i < C; i++)
      m += x[i];
    m = m / C;
    REAL v = 0.0f;
    for (int i = 0; i < C; i++)
      v += (x[i] - m) * (x[i] - m);
    v = v / C;
    REAL s = 1.0f / SQRTF(v + 1e-5f);
    for (int i = 0; i < C; i++)
      out[bt * C + i] = s * (x[i] - m) * weight[i] + bias[i];
    mean[bt] = m;
    rstd[bt] = s;
  }
}

static void matmul_forward(REAL *out, const REAL *inp, const REAL *weight, const REAL *bias,
                           int BT, int C, int OC) {
  enum { LOOP_UNROLL = 8 };
  for (int obt = 0; obt < BT; obt += LOOP_UNROLL) {
    int rows = BT - obt < LOOP_UNROLL ? BT - obt : LOOP_UNROLL;
    for (int o = 0; o < OC; o++) {
      REAL result[LOOP_UNROLL];
      for (int ibt = 0; ibt < rows; ibt++)
        result[ibt] = bias ? bias[o] : 0.0f;
      for (int i = 0; i < C; i++) {
        REAL w = weight[i + o * C];
        for (int ibt = 0; ibt < rows; ibt++)
          result[ibt] += inp[(obt + ibt) * C + i] * w;
      }
      for (int ibt = 0; ibt < rows; ibt++)
        out[(obt + ibt) * OC + o] = result[ibt];
    }
  }
}

static void attention_forward(REAL *out, REAL *preatt, REAL *att, const REAL *inp, int B,
                              int T, int C, int NH) {
  int C3 = 3 * C, hs = C / NH;
  REAL scale = 1.0f / SQRTF(hs);
  for (int b = 0; b < B; b++)
    for (int t = 0; t < T; t++)
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
        for (int t2 = 0; t2 < T; t2++)
          att_bth[t2] = t2 <= t ? att_bth[t2] * expsum_inv : 0.0f;
        REAL *out_bth = out + b * T * C + t * C + h * hs;
        for (int i = 0; i < hs; i++)
          out_bth[i] = 0.0f;
        for (int t2 = 0; t2 <= t; t2++) {
          const REAL *value_t2 = inp + b * T * C3 + t2 * C3 + h * hs + 2 * C;
          for (int i = 0; i < hs; i++)
            out_bth[i] += att_bth[t2] * value_t2[i];
        }
      }
}

static const REAL GELU_SCALING_FACTOR = 0.7978845608028654f; /* sqrt(2 / pi) */

static void gelu_forward(REAL *out, const REAL *inp, int N) {
  for (int i = 0; i < N; i++) {
    REAL x = inp[i];
    out[i] = 0.5f * x * (1.0f + TANHF(GELU_SCALING_FACTOR * (x + 0.044715f * x * x * x)));
  }
}

static void residual_forward(REAL *out, const REAL *inp1, const REAL *inp2, int N) {
  for (int i = 0; i < N; i++)
    out[i] = inp1[i] + inp2[i];
}

static void softmax_forward(REAL *probs, const REAL *logits, int BT, int V) {
  for (int bt = 0; bt < BT; bt++) {
    const REAL *logits_bt = logits + bt * V;
    REAL *probs_bt = probs + bt * V;
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

/* ---- backward ---- */

static void encoder_backward(REAL *dwte, REAL *dwpe, const REAL *dout, const int *inp, int B,
                             int T, int C) {
  for (int bt = 0; bt < B * T; bt++) {
    REAL *dwte_ix = dwte + inp[bt] * C;
    REAL *dwpe_t = dwpe + (bt % T) * C;
    for (int i = 0; i < C; i++) {
      dwte_ix[i] += dout[bt * C + i];
      dwpe_t[i] += dout[bt * C + i];
    }
  }
}

static void layernorm_backward(REAL *dinp, REAL *dweight, REAL *dbias, const REAL *dout,
                               const REAL *inp, const REAL *weight, const REAL *mean,
                               const REAL *rstd, int BT, int C) {
  for (int bt = 0; bt < BT; bt++) {
    const REAL *dout_bt = dout + bt * C, *inp_bt = inp + bt * C;
    REAL *dinp_bt = dinp + bt * C;
    REAL m = mean[bt], s = rstd[bt];
    REAL dnorm_mean = 0.0f, dnorm_norm_mean = 0.0f;
    for (int i = 0; i < C; i++) {
      REAL norm = (inp_bt[i] - m) * s;
      REAL dnorm = weight[i] * dout_bt[i];
      dnorm_mean += dnorm;
      dnorm_norm_mean += dnorm * norm;
    }
    dnorm_mean /= C;
    dnorm_norm_mean /= C;
    for (int i = 0; i < C; i++) {
      REAL norm = (inp_bt[i] - m) * s;
      REAL dnorm = weight[i] * dout_bt[i];
      dbias[i] += dout_bt[i];
      dweight[i] += norm * dout_bt[i];
      dinp_bt[i] += (dnorm - dnorm_mean - norm * dnorm_norm_mean) * s;
    }
  }
}

static void matmul_backward(REAL *dinp, REAL *dweight, REAL *dbias, const REAL *dout,
                            const REAL *inp, const REAL *weight, int BT, int C, int OC) {
  for (int bt = 0; bt < BT; bt++) {
    const REAL *dout_bt = dout + bt * OC;
    REAL *dinp_bt = dinp + bt * C;
    for (int o = 0; o < OC; o++) {
      const REAL *wrow = weight + o * C;
      REAL d = dout_bt[o];
      for (int i = 0; i < C; i++)
        dinp_bt[i] += wrow[i] * d;
    }
  }
  for (int o = 0; o < OC; o++) {
    REAL *dwrow = dweight + o * C;
    for (int bt = 0; bt < BT; bt++) {
      const REAL *inp_bt = inp + bt * C;
      REAL d = dout[bt * OC + o];
      if (dbias)
        dbias[o] += d;
      for (int i = 0; i < C; i++)
        dwrow[i] += inp_bt[i] * d;
    }
  }
}

static void attention_backward(REAL *dinp, REAL *dpreatt, REAL *datt, const REAL *dout,
                               const REAL *inp, const REAL *att, int B, int T, int C, int NH) {
  int C3 = 3 * C, hs = C / NH;
  REAL scale = 1.0f / SQRTF(hs);
  for (int b = 0; b < B; b++)
    for (int t = 0; t < T; t++)
      for (int h = 0; h < NH; h++) {
        const REAL *att_bth = att + b * NH * T * T + h * T * T + t * T;
        REAL *datt_bth = datt + b * NH * T * T + h * T * T + t * T;
        REAL *dpreatt_bth = dpreatt + b * NH * T * T + h * T * T + t * T;
        const REAL *query_t = inp + b * T * C3 + t * C3 + h * hs;
        REAL *dquery_t = dinp + b * T * C3 + t * C3 + h * hs;
        const REAL *dout_bth = dout + b * T * C + t * C + h * hs;
        /* out = att . value */
        for (int t2 = 0; t2 <= t; t2++) {
          const REAL *value_t2 = inp + b * T * C3 + t2 * C3 + h * hs + 2 * C;
          REAL *dvalue_t2 = dinp + b * T * C3 + t2 * C3 + h * hs + 2 * C;
          for (int i = 0; i < hs; i++) {
            datt_bth[t2] += value_t2[i] * dout_bth[i];
            dvalue_t2[i] += att_bth[t2] * dout_bth[i];
          }
        }
        /* softmax: d preatt_j = att_j (d att_j - sum_k att_k d att_k) */
        REAL dot = 0.0f;
        for (int t2 = 0; t2 <= t; t2++)
          dot += att_bth[t2] * datt_bth[t2];
        for (int t2 = 0; t2 <= t; t2++)
          dpreatt_bth[t2] += att_bth[t2] * (datt_bth[t2] - dot);
        /* preatt = scale query . key */
        for (int t2 = 0; t2 <= t; t2++) {
          const REAL *key_t2 = inp + b * T * C3 + t2 * C3 + h * hs + C;
          REAL *dkey_t2 = dinp + b * T * C3 + t2 * C3 + h * hs + C;
          REAL d = dpreatt_bth[t2] * scale;
          for (int i = 0; i < hs; i++) {
            dquery_t[i] += key_t2[i] * d;
            dkey_t2[i] += query_t[i] * d;
          }
        }
      }
}

static void gelu_backward(REAL *dinp, const REAL *inp, const REAL *dout, int N) {
  for (int i = 0; i < N; i++) {
    REAL x = inp[i];
    REAL tanh_out = TANHF(GELU_SCALING_FACTOR * (x + 0.044715f * x * x * x));
    REAL sech2 = 1.0f - tanh_out * tanh_out;
    REAL local_grad = 0.5f * (1.0f + tanh_out) +
                      0.5f * x * sech2 * GELU_SCALING_FACTOR * (1.0f + 3.0f * 0.044715f * x * x);
    dinp[i] += local_grad * dout[i];
  }
}

static void residual_backward(REAL *dinp1, REAL *dinp2, const REAL *dout, int N) {
  for (int i = 0; i < N; i++) {
    dinp1[i] += dout[i];
    dinp2[i] += dout[i];
  }
}

/* ---- the model ---- */

/* The activations of one pass (the same list as ref/gpt2.c), as views into
 * one block. */
typedef struct {
  REAL *encoded, *ln1, *ln1_mean, *ln1_rstd, *qkv, *atty, *preatt, *att, *attproj, *residual2;
  REAL *ln2, *ln2_mean, *ln2_rstd, *fch, *fch_gelu, *fcproj, *residual3, *lnf, *lnf_mean;
  REAL *lnf_rstd, *logits, *probs;
} Acts;

static size_t acts_count(int B, int T, int C, int V, int L, int NH) {
  size_t BT = (size_t)B * T, BTC = BT * C, ATT = (size_t)B * NH * T * T;
  return BTC + L * (4 * BT + 18 * BTC + 2 * ATT) + BTC + 2 * BT + 2 * BT * V;
}

static long num_params(int T, int C, int V, int L) {
  return (long)V * C + (long)T * C + (long)L * (12L * C * C + 13L * C) + 2L * C;
}

static void point_acts(Acts *a, REAL *block, int B, int T, int C, int V, int L, int NH) {
  size_t BT = (size_t)B * T, BTC = BT * C, ATT = (size_t)B * NH * T * T;
  REAL *p = block;
#define TAKE(field, n) (a->field = p, p += (n))
  TAKE(encoded, BTC);
  TAKE(ln1, L * BTC);
  TAKE(ln1_mean, L * BT);
  TAKE(ln1_rstd, L * BT);
  TAKE(qkv, L * 3 * BTC);
  TAKE(atty, L * BTC);
  TAKE(preatt, L * ATT);
  TAKE(att, L * ATT);
  TAKE(attproj, L * BTC);
  TAKE(residual2, L * BTC);
  TAKE(ln2, L * BTC);
  TAKE(ln2_mean, L * BT);
  TAKE(ln2_rstd, L * BT);
  TAKE(fch, L * 4 * BTC);
  TAKE(fch_gelu, L * 4 * BTC);
  TAKE(fcproj, L * BTC);
  TAKE(residual3, L * BTC);
  TAKE(lnf, BTC);
  TAKE(lnf_mean, BT);
  TAKE(lnf_rstd, BT);
  TAKE(logits, BT * V);
  TAKE(probs, BT * V);
#undef TAKE
}

/* Views of one layer's parameters (or of their gradients). */
typedef struct {
  REAL *ln1w, *ln1b, *qkvw, *qkvb, *attprojw, *attprojb, *ln2w, *ln2b, *fcw, *fcb, *fcprojw,
      *fcprojb;
} Layer;

static Layer layer_params(REAL *params, int l, int T, int C, int V, int L) {
  REAL *ln1w = params + (size_t)V * C + (size_t)T * C;
  REAL *ln1b = ln1w + L * C, *qkvw = ln1b + L * C, *qkvb = qkvw + (size_t)L * 3 * C * C;
  REAL *attprojw = qkvb + L * 3 * C, *attprojb = attprojw + (size_t)L * C * C;
  REAL *ln2w = attprojb + L * C, *ln2b = ln2w + L * C, *fcw = ln2b + L * C;
  REAL *fcb = fcw + (size_t)L * 4 * C * C, *fcprojw = fcb + L * 4 * C;
  REAL *fcprojb = fcprojw + (size_t)L * 4 * C * C;
  Layer y = {ln1w + l * C,         ln1b + l * C,     qkvw + (size_t)l * 3 * C * C,
             qkvb + l * 3 * C,     attprojw + (size_t)l * C * C, attprojb + l * C,
             ln2w + l * C,         ln2b + l * C,     fcw + (size_t)l * 4 * C * C,
             fcb + l * 4 * C,      fcprojw + (size_t)l * 4 * C * C, fcprojb + l * C};
  return y;
}

REAL ref_gpt2_loss_hand(int B, int T, int C, int V, int L, int NH, const REAL *params,
                        const int *inputs, const int *targets, REAL *d_params,
                        long long *stored_bytes) {
  int BT = B * T;
  size_t BTC = (size_t)BT * C, ATT = (size_t)B * NH * T * T;
  Acts a, g;
  size_t n_acts = acts_count(B, T, C, V, L, NH);
  REAL *acts = malloc(n_acts * sizeof(REAL));
  REAL *grads = calloc(n_acts, sizeof(REAL));
  point_acts(&a, acts, B, T, C, V, L, NH);
  point_acts(&g, grads, B, T, C, V, L, NH);
  if (stored_bytes)
    *stored_bytes = 2LL * (long long)(n_acts * sizeof(REAL));

  REAL *P = (REAL *)params; /* only read */
  const REAL *wte = P, *wpe = P + (size_t)V * C;
  const REAL *lnfw = P + num_params(T, C, V, L) - 2 * C, *lnfb = lnfw + C;

  /* forward */
  encoder_forward(a.encoded, inputs, wte, wpe, B, T, C);
  for (int l = 0; l < L; l++) {
    Layer w = layer_params(P, l, T, C, V, L);
    const REAL *residual = l == 0 ? a.encoded : a.residual3 + (l - 1) * BTC;
    REAL *ln1 = a.ln1 + l * BTC, *qkv = a.qkv + l * 3 * BTC, *atty = a.atty + l * BTC;
    REAL *residual2 = a.residual2 + l * BTC, *ln2 = a.ln2 + l * BTC;
    REAL *fch = a.fch + l * 4 * BTC, *fch_gelu = a.fch_gelu + l * 4 * BTC;
    layernorm_forward(ln1, a.ln1_mean + l * BT, a.ln1_rstd + l * BT, residual, w.ln1w, w.ln1b,
                      BT, C);
    matmul_forward(qkv, ln1, w.qkvw, w.qkvb, BT, C, 3 * C);
    attention_forward(atty, a.preatt + l * ATT, a.att + l * ATT, qkv, B, T, C, NH);
    matmul_forward(a.attproj + l * BTC, atty, w.attprojw, w.attprojb, BT, C, C);
    residual_forward(residual2, residual, a.attproj + l * BTC, BTC);
    layernorm_forward(ln2, a.ln2_mean + l * BT, a.ln2_rstd + l * BT, residual2, w.ln2w, w.ln2b,
                      BT, C);
    matmul_forward(fch, ln2, w.fcw, w.fcb, BT, C, 4 * C);
    gelu_forward(fch_gelu, fch, 4 * BTC);
    matmul_forward(a.fcproj + l * BTC, fch_gelu, w.fcprojw, w.fcprojb, BT, 4 * C, C);
    residual_forward(a.residual3 + l * BTC, residual2, a.fcproj + l * BTC, BTC);
  }
  const REAL *last = a.residual3 + (L - 1) * BTC;
  layernorm_forward(a.lnf, a.lnf_mean, a.lnf_rstd, last, lnfw, lnfb, BT, C);
  matmul_forward(a.logits, a.lnf, wte, NULL, BT, C, V);
  softmax_forward(a.probs, a.logits, BT, V);
  REAL mean_loss = 0.0f;
  for (int bt = 0; bt < BT; bt++)
    mean_loss += -LOGF(a.probs[bt * V + targets[bt]]);
  mean_loss /= BT;

  /* backward: softmax and cross-entropy together, d logits = (probs - onehot) / BT */
  REAL dloss = (REAL)1 / BT; /* not 1.0f / BT: in the double build a float quotient */
  for (int bt = 0; bt < BT; bt++) {
    REAL *dlogits_bt = g.logits + bt * V;
    const REAL *probs_bt = a.probs + bt * V;
    for (int i = 0; i < V; i++)
      dlogits_bt[i] += (probs_bt[i] - (i == targets[bt] ? 1.0f : 0.0f)) * dloss;
  }
  REAL *d_wte = d_params, *d_wpe = d_params + (size_t)V * C;
  REAL *d_lnfw = d_params + num_params(T, C, V, L) - 2 * C, *d_lnfb = d_lnfw + C;
  matmul_backward(g.lnf, d_wte, NULL, g.logits, a.lnf, wte, BT, C, V);
  REAL *d_last = g.residual3 + (L - 1) * BTC;
  layernorm_backward(d_last, d_lnfw, d_lnfb, g.lnf, last, lnfw, a.lnf_mean, a.lnf_rstd, BT, C);
  for (int l = L - 1; l >= 0; l--) {
    Layer w = layer_params(P, l, T, C, V, L);
    Layer dw = layer_params(d_params, l, T, C, V, L);
    const REAL *residual = l == 0 ? a.encoded : a.residual3 + (l - 1) * BTC;
    REAL *dresidual = l == 0 ? g.encoded : g.residual3 + (l - 1) * BTC;
    size_t o1 = l * BTC, o3 = l * 3 * BTC, o4 = l * 4 * BTC, oa = l * ATT, ob = (size_t)l * BT;
    residual_backward(g.residual2 + o1, g.fcproj + o1, g.residual3 + o1, BTC);
    matmul_backward(g.fch_gelu + o4, dw.fcprojw, dw.fcprojb, g.fcproj + o1, a.fch_gelu + o4,
                    w.fcprojw, BT, 4 * C, C);
    gelu_backward(g.fch + o4, a.fch + o4, g.fch_gelu + o4, 4 * BTC);
    matmul_backward(g.ln2 + o1, dw.fcw, dw.fcb, g.fch + o4, a.ln2 + o1, w.fcw, BT, C, 4 * C);
    layernorm_backward(g.residual2 + o1, dw.ln2w, dw.ln2b, g.ln2 + o1, a.residual2 + o1, w.ln2w,
                       a.ln2_mean + ob, a.ln2_rstd + ob, BT, C);
    residual_backward(dresidual, g.attproj + o1, g.residual2 + o1, BTC);
    matmul_backward(g.atty + o1, dw.attprojw, dw.attprojb, g.attproj + o1, a.atty + o1,
                    w.attprojw, BT, C, C);
    attention_backward(g.qkv + o3, g.preatt + oa, g.att + oa, g.atty + o1, a.qkv + o3,
                       a.att + oa, B, T, C, NH);
    matmul_backward(g.ln1 + o1, dw.qkvw, dw.qkvb, g.qkv + o3, a.ln1 + o1, w.qkvw, BT, C,
                    3 * C);
    layernorm_backward(dresidual, dw.ln1w, dw.ln1b, g.ln1 + o1, residual, w.ln1w,
                       a.ln1_mean + ob, a.ln1_rstd + ob, BT, C);
  }
  encoder_backward(d_wte, d_wpe, g.encoded, inputs, B, T, C);

  free(acts);
  free(grads);
  return mean_loss;
}
