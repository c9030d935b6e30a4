/* mlp.c: a two-layer perceptron, nin-nhid-1 (the benchmark's is 64-128-1),
 * with a tanh hidden layer and a linear output, and its mean squared error
 * over a batch:
 *
 *   loss = 1/batch sum_s (W2 . tanh(W1 x_s + b1) + b2 - y_s)^2
 *
 * vgradcc differentiates it with respect to W1, b1, W2 and b2, in reverse,
 * forward (jvp) and twice (hvp). Compile with
 * -DREAL=float for a float32 version. */
#include "mlp.h"

#include <math.h>

#pragma vgrad value_and_grad(mlp_loss) argnames(W1, b1, W2, b2)
/* and its gradient with the Hessian times a direction (the benchmark's hvp row) */
#pragma vgrad hvp(mlp_loss) argnames(W1, b1, W2, b2)
/* and its directional derivative (the benchmark's jvp row) */
#pragma vgrad jvp(mlp_loss) argnames(W1, b1, W2, b2)

/* Hidden activations of one sample. */
static void hidden_layer(int nin, int nhid, const REAL *W1, const REAL *b1,
                         const REAL *x, REAL *h) {
  for (int j = 0; j < nhid; j++) {
    const REAL *row = W1 + j * nin;
    REAL z = b1[j];
    for (int i = 0; i < nin; i++)
      z += row[i] * x[i];
    h[j] = tanh(z);
  }
}

REAL mlp_loss(int nin, int nhid, int batch, const REAL *W1, const REAL *b1,
                const REAL *W2, REAL b2, const REAL *X, const REAL *y) {
  REAL h[nhid];
  REAL sum = 0.0;
  for (int s = 0; s < batch; s++) {
    hidden_layer(nin, nhid, W1, b1, X + s * nin, h);
    REAL pred = b2;
    for (int j = 0; j < nhid; j++)
      pred += W2[j] * h[j];
    REAL diff = pred - y[s];
    sum += diff * diff;
  }
  return sum / batch;
}
