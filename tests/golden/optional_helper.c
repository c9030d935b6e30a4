/* optional_helper: optional arrays passed on to helpers that test them, as
 * llm.c's matmul_forward(out, inp, weight, bias, ...) does with
 * `float val = (bias != NULL) ? bias[o] : 0.0f;`.  Each call is inlined
 * with its own copy of the test; calls that pass NULL itself leave the
 * helper's pointer, and pointers set from it (`g = gain + i` under `if
 * (gain)`), pointing into nothing, without an adjoint.  The non-selected
 * mask goes to a helper that returns early `if (!mask)`, and the optional
 * output pred is written `if (pred)`: the guard against pred and b1 being
 * one array lets both be NULL.
 *
 * The driver runs every combination of NULL and real b1, b2, mask and pred
 * (NULL gradients for NULL biases), checks the value, what pred receives
 * and every gradient against finite differences. */
#include <math.h>
#include <stddef.h>
#ifndef REAL
#define REAL double
#endif

static void matmul_forward(REAL *out, const REAL *inp, const REAL *weight, const REAL *bias, int B, int C, int OC) {
  for (int b = 0; b < B; b++) {
    const REAL *inp_b = inp + b * C;
    for (int o = 0; o < OC; o++) {
      REAL val = (bias != NULL) ? bias[o] : 0.0f;
      const REAL *wrow = weight + o * C;
      for (int i = 0; i < C; i++)
        val += inp_b[i] * wrow[i];
      out[b * OC + o] = val;
    }
  }
}

static REAL masked_penalty(const REAL *w, const REAL *mask, int n) {
  if (!mask)
    return 0;
  REAL p = 0;
  for (int i = 0; i < n; i++)
    p += mask[i] * w[i] * w[i];
  return p;
}

/* a pointer into the optional array, set where it is tested */
static REAL gain_norm(const REAL *v, const REAL *gain, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++) {
    REAL t = v[i];
    if (gain) {
      const REAL *g = gain + i;
      t *= 1 + 0.5f * g[0];
    }
    s += t * t;
  }
  return s;
}

REAL mlp(const REAL *inp, const REAL *w1, const REAL *b1, const REAL *w2, const REAL *b2, const REAL *mask, REAL *pred,
         int B) {
  REAL hid[2 * 4], out[2 * 2], skip[2 * 2];
  matmul_forward(hid, inp, w1, b1, B, 3, 4);
  for (int i = 0; i < B * 4; i++)
    hid[i] = tanh(hid[i]);
  matmul_forward(out, hid, w2, b2, B, 4, 2);
  matmul_forward(skip, inp, w1, NULL, B, 3, 2); /* the first two rows of w1 again, without a bias */
  REAL s = 0;
  for (int i = 0; i < B * 2; i++) {
    REAL y = out[i] + 0.5f * skip[i];
    if (pred)
      pred[i] = y;
    s += y * y;
  }
  return s + masked_penalty(w1, mask, 12) + 0.1f * gain_norm(hid, b1, 4) + 0.1f * gain_norm(hid + 4, NULL, 4);
}
#pragma vgrad value_and_grad(mlp) argnums(1, 2, 3, 4)

#ifdef VG_DRIVER
#include "optional_helper.vg.h"
#include "fdcheck.h"

#define B 2
static REAL in_inp[B * 3] = {0.5, -0.3, 0.8, -0.6, 0.2, 0.4};
static REAL in_w1[12] = {0.3, -0.2, 0.5, 0.1, 0.4, -0.6, -0.3, 0.2, 0.25, 0.6, -0.1, 0.35};
static REAL in_b1[4] = {0.1, -0.2, 0.05, 0.3};
static REAL in_w2[8] = {0.7, -0.4, 0.2, 0.5, -0.3, 0.6, 0.45, -0.25};
static REAL in_b2[2] = {-0.15, 0.2};
static REAL in_mask[12] = {1, 0.5, 0, 2, 1, 1, 0.25, 0, 1, 1.5, 0.5, 1};
static const REAL *b1, *b2, *mask; /* in_b1 or NULL, ... */
static REAL loss(void) { return mlp(in_inp, in_w1, b1, in_w2, b2, mask, NULL, B); }

int main(void) {
  for (int k = 0; k < 16; k++) {
    b1 = k & 1 ? in_b1 : NULL;
    b2 = k & 2 ? in_b2 : NULL;
    mask = k & 4 ? in_mask : NULL;
    int with_pred = k >> 3;
    REAL d_w1[12] = {0}, d_b1[4] = {0}, d_w2[8] = {0}, d_b2[2] = {0};
    REAL pred[B * 2] = {0}, pred_original[B * 2] = {0};
    REAL value = mlp_value_and_grad(in_inp, in_w1, b1, in_w2, b2, mask, with_pred ? pred : NULL, B, d_w1,
                                    b1 ? d_b1 : NULL, d_w2, b2 ? d_b2 : NULL);
    printf("b1 %s, b2 %s, mask %s, pred %s: value %.6f\n", b1 ? "given" : "NULL", b2 ? "given" : "NULL",
           mask ? "given" : "NULL", with_pred ? "given" : "NULL", (double)value);
    fd_value("value", value, mlp(in_inp, in_w1, b1, in_w2, b2, mask, with_pred ? pred_original : NULL, B));
    for (int i = 0; i < B * 2; i++)
      fd_same("pred", i, pred[i], pred_original[i]);
    fd_check_array("d_w1", in_w1, d_w1, 12, loss);
    fd_check_array("d_w2", in_w2, d_w2, 8, loss);
    if (b1)
      fd_check_array("d_b1", in_b1, d_b1, 4, loss);
    if (b2)
      fd_check_array("d_b2", in_b2, d_b2, 2, loss);
  }
  return fd_report("optional_helper");
}
#endif
