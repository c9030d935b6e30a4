/* lstm.c: the ADBench LSTM objective, written from its definition
 * (shared/adbench/README.md): l layers of b cells run over a sequence of c
 * characters; for each t < c - 1 the prediction from character t is scored
 * against character t + 1 with a log-softmax (plus 2 in the normaliser), and
 * the loss is minus the mean. One step of a layer with input x:
 *
 *   forget = sigmoid(x w_f + b_f)    ingate = sigmoid(h w_i + b_i)
 *   outgate = sigmoid(x w_o + b_o)   change = tanh(h w_c + b_c)
 *   s = s forget + ingate change     h = outgate tanh(s)
 *
 * (elementwise). Compile with -DREAL=float for a float32 version. */
#include "lstm.h"

#include <math.h>

/* state is updated in place and read again, so vgradcc needs a gradient buffer for it
 * too (the gradient with respect to the initial state). */
#pragma vgrad value_and_grad(lstm_objective) argnames(main_params, extra_params, state) loss(loss)

static REAL sigmoid(REAL x) {
  return 1.0 / (1.0 + exp(-x));
}

/* One step of one layer: updates hidden and cell from input. */
static void lstm_step(int b, const REAL *weight, const REAL *bias, REAL *hidden,
                      REAL *cell, const REAL *input) {
  for (int i = 0; i < b; i++) {
    REAL forget = sigmoid(input[i] * weight[i] + bias[i]);
    REAL ingate = sigmoid(hidden[i] * weight[b + i] + bias[b + i]);
    REAL outgate = sigmoid(input[i] * weight[2 * b + i] + bias[2 * b + i]);
    REAL change = tanh(hidden[i] * weight[3 * b + i] + bias[3 * b + i]);
    cell[i] = cell[i] * forget + ingate * change;
    hidden[i] = outgate * tanh(cell[i]);
  }
}

/* Runs one character through all layers; writes the prediction to ypred. */
static void lstm_predict(int l, int b, const REAL *main_params, const REAL *extra_params,
                         REAL *state, const REAL *x, REAL *ypred) {
  REAL layer_in[b];
  for (int i = 0; i < b; i++)
    layer_in[i] = x[i] * extra_params[i];
  for (int layer = 0; layer < l; layer++) {
    const REAL *weight = main_params + layer * 8 * b;
    REAL *hidden = state + layer * 2 * b;
    lstm_step(b, weight, weight + 4 * b, hidden, hidden + b, layer_in);
    for (int i = 0; i < b; i++)
      layer_in[i] = hidden[i];
  }
  for (int i = 0; i < b; i++)
    ypred[i] = layer_in[i] * extra_params[b + i] + extra_params[2 * b + i];
}

void lstm_objective(int l, int c, int b, const REAL *main_params, const REAL *extra_params,
                    REAL *state, const REAL *sequence, REAL *loss) {
  REAL ypred[b];
  REAL total = 0.0;
  for (int t = 0; t < c - 1; t++) {
    lstm_predict(l, b, main_params, extra_params, state, sequence + t * b, ypred);
    REAL sum_exp = 0.0;
    for (int i = 0; i < b; i++)
      sum_exp += exp(ypred[i]);
    REAL lse = log(sum_exp + 2.0);
    const REAL *ygold = sequence + (t + 1) * b;
    for (int i = 0; i < b; i++)
      total += ygold[i] * (ypred[i] - lse);
  }
  *loss = -total / ((c - 1) * b);
}
