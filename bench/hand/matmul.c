/* hand/matmul.c: forward + backward of ref/matmul.c's layer by hand, the
 * forward the same tiled product, the backward as llm.c's matmul_backward
 * (d inp = d out weight; d weight = d out^T inp; d bias = column sums). */
#include "hand_ref.h"

#include <stdlib.h>

REAL ref_matmul_layer_hand(int BT, int C, int OC, const REAL *inp, const REAL *weight,
                           const REAL *bias, const REAL *target, REAL *d_inp, REAL *d_weight,
                           REAL *d_bias) {
  enum { LOOP_UNROLL = 8 };
  REAL *out = malloc((size_t)BT * OC * sizeof(REAL));
  for (int obt = 0; obt < BT; obt += LOOP_UNROLL) {
    int rows = BT - obt < LOOP_UNROLL ? BT - obt : LOOP_UNROLL;
    for (int o = 0; o < OC; o++) {
      REAL result[LOOP_UNROLL];
      for (int ibt = 0; ibt < rows; ibt++)
        result[ibt] = bias[o];
      for (int i = 0; i < C; i++) {
        REAL w = weight[i + o * C];
        for (int ibt = 0; ibt < rows; ibt++)
          result[ibt] += inp[(obt + ibt) * C + i] * w;
      }
      for (int ibt = 0; ibt < rows; ibt++)
        out[(obt + ibt) * OC + o] = result[ibt];
    }
  }
  REAL loss = 0.0f;
  for (int i = 0; i < BT * OC; i++) {
    REAL diff = out[i] - target[i];
    loss += 0.5f * diff * diff;
    out[i] = diff / BT; /* from here on: d loss / d out */
  }
  const REAL *dout = out;
  for (int bt = 0; bt < BT; bt++) {
    const REAL *dout_bt = dout + bt * OC;
    REAL *dinp_bt = d_inp + bt * C;
    for (int o = 0; o < OC; o++) {
      const REAL *wrow = weight + o * C;
      REAL d = dout_bt[o];
      for (int i = 0; i < C; i++)
        dinp_bt[i] += wrow[i] * d;
    }
  }
  for (int o = 0; o < OC; o++) {
    REAL *dwrow = d_weight + o * C;
    REAL dbias = 0.0f;
    for (int bt = 0; bt < BT; bt++) {
      const REAL *inp_bt = inp + bt * C;
      REAL d = dout[bt * OC + o];
      dbias += d;
      for (int i = 0; i < C; i++)
        dwrow[i] += inp_bt[i] * d;
    }
    d_bias[o] += dbias;
  }
  free(out);
  return loss / BT;
}
