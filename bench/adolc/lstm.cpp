// lstm.cpp: the LSTM objective of objectives/lstm.c with adouble.
#include <vector>

#include "../load.h"
#include "adolc_bench.h"
#include "adolc_tape.h"

namespace {

adouble sigmoid(const adouble &x) {
  return 1.0 / (1.0 + exp(-x));
}

void lstm_step(int b, const adouble *weight, const adouble *bias, adouble *hidden, adouble *cell,
               const adouble *input) {
  for (int i = 0; i < b; i++) {
    adouble forget = sigmoid(input[i] * weight[i] + bias[i]);
    adouble ingate = sigmoid(hidden[i] * weight[b + i] + bias[b + i]);
    adouble outgate = sigmoid(input[i] * weight[2 * b + i] + bias[2 * b + i]);
    adouble change = tanh(hidden[i] * weight[3 * b + i] + bias[3 * b + i]);
    cell[i] = cell[i] * forget + ingate * change;
    hidden[i] = outgate * tanh(cell[i]);
  }
}

void lstm_predict(int l, int b, const adouble *main_params, const adouble *extra_params,
                  adouble *state, const double *x, adouble *ypred) {
  std::vector<adouble> layer_in(b);
  for (int i = 0; i < b; i++)
    layer_in[i] = x[i] * extra_params[i];
  for (int layer = 0; layer < l; layer++) {
    const adouble *weight = main_params + layer * 8 * b;
    adouble *hidden = state + layer * 2 * b;
    lstm_step(b, weight, weight + 4 * b, hidden, hidden + b, layer_in.data());
    for (int i = 0; i < b; i++)
      layer_in[i] = hidden[i];
  }
  for (int i = 0; i < b; i++)
    ypred[i] = layer_in[i] * extra_params[b + i] + extra_params[2 * b + i];
}

adouble lstm_record(const void *ctx, const adouble *theta) {
  const LstmInput *in = static_cast<const LstmInput *>(ctx);
  int l = in->l, c = in->c, b = in->b;
  const adouble *main_params = theta, *extra_params = theta + 8L * l * b;
  std::vector<adouble> state(2 * l * b), ypred(b);
  for (int i = 0; i < 2 * l * b; i++)
    state[i] = in->state[i];
  adouble total = 0.0;
  for (int t = 0; t < c - 1; t++) {
    lstm_predict(l, b, main_params, extra_params, state.data(), in->sequence + (long)t * b,
                 ypred.data());
    adouble sum_exp = 0.0;
    for (int i = 0; i < b; i++)
      sum_exp += exp(ypred[i]);
    adouble lse = log(sum_exp + 2.0);
    const double *ygold = in->sequence + (long)(t + 1) * b;
    for (int i = 0; i < b; i++)
      total += ygold[i] * (ypred[i] - lse);
  }
  return -total / ((c - 1) * b);
}

} // namespace

double adolc_lstm_tape(void *ctx, double *grad) {
  const LstmInput *in = static_cast<const LstmInput *>(ctx);
  return adolc_record_and_reverse(in, lstm_record, in->ntheta, in->theta, grad);
}

double adolc_lstm_reuse(void *ctx, double *grad) {
  const LstmInput *in = static_cast<const LstmInput *>(ctx);
  return adolc_reverse_reused(in->ntheta, in->theta, grad);
}
