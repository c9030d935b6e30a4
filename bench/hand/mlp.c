/* hand/mlp.c: adjoint of the MLP loss, one sample at a time.
 *
 * The loss is a sum over samples, so each sample's forward pass is followed
 * at once by its reverse pass; only that sample's hidden layer is stored. */
#include "hand.h"

#include <math.h>

double mlp_loss_hand(int nin, int nhid, int batch, const double *W1, const double *b1,
                     const double *W2, double b2, const double *X, const double *y,
                     double *d_W1, double *d_b1, double *d_W2, double *d_b2) {
  double h[nhid];
  double sum = 0.0;
  for (int s = 0; s < batch; s++) {
    const double *x = X + s * nin;
    double pred = b2;
    for (int j = 0; j < nhid; j++) {
      const double *row = W1 + j * nin;
      double z = b1[j];
      for (int i = 0; i < nin; i++)
        z += row[i] * x[i];
      h[j] = tanh(z);
      pred += W2[j] * h[j];
    }
    double diff = pred - y[s];
    sum += diff * diff;

    /* Reverse: d loss / d pred = 2 diff / batch. */
    double d_pred = 2.0 * diff / batch;
    *d_b2 += d_pred;
    for (int j = 0; j < nhid; j++) {
      d_W2[j] += d_pred * h[j];
      double d_z = d_pred * W2[j] * (1.0 - h[j] * h[j]);
      d_b1[j] += d_z;
      double *d_row = d_W1 + j * nin;
      for (int i = 0; i < nin; i++)
        d_row[i] += d_z * x[i];
    }
  }
  return sum / batch;
}
