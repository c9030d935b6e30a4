/* lstm.c: the ADBench LSTM objective, written from its definition. */
#include "lstm.h"

#include <math.h>

/* state is updated in place and read again, so vgradcc needs a gradient buffer for it
 * too (the gradient with respect to the initial state). */
#pragma vgrad value_and_grad(lstm_objective) argnames(main_params, extra_params, state) loss(loss)

static double sigmoid(double x) {
  return 1.0 / (1.0 + exp(-x));
}

/* One step of one layer: updates hidden and cell from input. */
static void lstm_step(int b, const double *weight, const double *bias, double *hidden,
                      double *cell, const double *input) {
  for (int i = 0; i < b; i++) {
    double forget = sigmoid(input[i] * weight[i] + bias[i]);
    double ingate = sigmoid(hidden[i] * weight[b + i] + bias[b + i]);
    double outgate = sigmoid(input[i] * weight[2 * b + i] + bias[2 * b + i]);
    double change = tanh(hidden[i] * weight[3 * b + i] + bias[3 * b + i]);
    cell[i] = cell[i] * forget + ingate * change;
    hidden[i] = outgate * tanh(cell[i]);
  }
}

/* Runs one character through all layers; writes the prediction to ypred. */
static void lstm_predict(int l, int b, const double *main_params, const double *extra_params,
                         double *state, const double *x, double *ypred) {
  double layer_in[b];
  for (int i = 0; i < b; i++)
    layer_in[i] = x[i] * extra_params[i];
  for (int layer = 0; layer < l; layer++) {
    const double *weight = main_params + layer * 8 * b;
    double *hidden = state + layer * 2 * b;
    lstm_step(b, weight, weight + 4 * b, hidden, hidden + b, layer_in);
    for (int i = 0; i < b; i++)
      layer_in[i] = hidden[i];
  }
  for (int i = 0; i < b; i++)
    ypred[i] = layer_in[i] * extra_params[b + i] + extra_params[2 * b + i];
}

void lstm_objective(int l, int c, int b, const double *main_params, const double *extra_params,
                    double *state, const double *sequence, double *loss) {
  double ypred[b];
  double total = 0.0;
  for (int t = 0; t < c - 1; t++) {
    lstm_predict(l, b, main_params, extra_params, state, sequence + t * b, ypred);
    double sum_exp = 0.0;
    for (int i = 0; i < b; i++)
      sum_exp += exp(ypred[i]);
    double lse = log(sum_exp + 2.0);
    const double *ygold = sequence + (t + 1) * b;
    for (int i = 0; i < b; i++)
      total += ygold[i] * (ypred[i] - lse);
  }
  *loss = -total / ((c - 1) * b);
}
