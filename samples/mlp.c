/* mlp.c: a 64-128-1 style perceptron (tanh hidden layer) and its MSE loss. */
#include "mlp.h"

#include <math.h>

#pragma vgrad value_and_grad(mlp_loss) argnames(W1, b1, W2, b2)

/* Hidden activations of one sample. */
static void hidden_layer(int nin, int nhid, const double *W1, const double *b1,
                         const double *x, double *h) {
  for (int j = 0; j < nhid; j++) {
    const double *row = W1 + j * nin;
    double z = b1[j];
    for (int i = 0; i < nin; i++)
      z += row[i] * x[i];
    h[j] = tanh(z);
  }
}

double mlp_loss(int nin, int nhid, int batch, const double *W1, const double *b1,
                const double *W2, double b2, const double *X, const double *y) {
  double h[nhid];
  double sum = 0.0;
  for (int s = 0; s < batch; s++) {
    hidden_layer(nin, nhid, W1, b1, X + s * nin, h);
    double pred = b2;
    for (int j = 0; j < nhid; j++)
      pred += W2[j] * h[j];
    double diff = pred - y[s];
    sum += diff * diff;
  }
  return sum / batch;
}
