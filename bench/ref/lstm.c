/* ref/lstm.c: the ADBench LSTM objective (shared/adbench/README.md) in the
 * shape of ADBench's C reference: the cell allocates its four gates in one
 * heap buffer per call, the prediction walks a pointer through the layers'
 * state (each layer's input is the previous layer's hidden vector, read in
 * place), and the objective keeps heap buffers for the prediction and its
 * normalised copy. Our own code; the value is that of samples/lstm.c. */
#include "lstm.h"

#include <math.h>
#include <stdlib.h>

#pragma vgrad value_and_grad(ref_lstm_objective) argnames(main_params, extra_params, state) loss(loss)

static double sigmoid(double x) {
  return 1.0 / (1.0 + exp(-x));
}

/* log(sum exp(vect) + 2), the normaliser of ADBench's LSTM. */
static double logsumexp(const double *vect, int sz) {
  double sum = 0.0;
  for (int i = 0; i < sz; i++)
    sum += exp(vect[i]);
  sum += 2;
  return log(sum);
}

static void lstm_model(int hsize, const double *weight, const double *bias, double *hidden,
                       double *cell, const double *input) {
  double *gates = malloc(4 * hsize * sizeof(double));
  double *forget = &gates[0];
  double *ingate = &gates[hsize];
  double *outgate = &gates[2 * hsize];
  double *change = &gates[3 * hsize];
  for (int i = 0; i < hsize; i++) {
    forget[i] = sigmoid(input[i] * weight[i] + bias[i]);
    ingate[i] = sigmoid(hidden[i] * weight[hsize + i] + bias[hsize + i]);
    outgate[i] = sigmoid(input[i] * weight[2 * hsize + i] + bias[2 * hsize + i]);
    change[i] = tanh(hidden[i] * weight[3 * hsize + i] + bias[3 * hsize + i]);
  }
  for (int i = 0; i < hsize; i++)
    cell[i] = cell[i] * forget[i] + ingate[i] * change[i];
  for (int i = 0; i < hsize; i++)
    hidden[i] = outgate[i] * tanh(cell[i]);
  free(gates);
}

static void lstm_predict(int l, int b, const double *w, const double *w2, double *s,
                         const double *x, double *x2) {
  for (int i = 0; i < b; i++)
    x2[i] = x[i] * w2[i];
  const double *xp = x2;
  for (int i = 0; i <= 2 * l * b - 1; i += 2 * b) {
    lstm_model(b, &w[i * 4], &w[(i + b) * 4], &s[i], &s[i + b], xp);
    xp = &s[i];
  }
  for (int i = 0; i < b; i++)
    x2[i] = xp[i] * w2[b + i] + w2[2 * b + i];
}

void ref_lstm_objective(int l, int c, int b, const double *main_params,
                        const double *extra_params, double *state, const double *sequence,
                        double *loss) {
  double total = 0.0;
  int count = 0;
  const double *input = &sequence[0];
  double *ypred = malloc(b * sizeof(double));
  double *ynorm = malloc(b * sizeof(double));
  for (int t = 0; t <= (c - 1) * b - 1; t += b) {
    lstm_predict(l, b, main_params, extra_params, state, input, ypred);
    double lse = logsumexp(ypred, b);
    for (int i = 0; i < b; i++)
      ynorm[i] = ypred[i] - lse;
    const double *ygold = &sequence[t + b];
    for (int i = 0; i < b; i++)
      total += ygold[i] * ynorm[i];
    count += b;
    input = ygold;
  }
  *loss = -total / count;
  free(ypred);
  free(ynorm);
}
