/* mlp_main.c: a 4-8-1 perceptron (tanh hidden layer) and its mean squared
 * error on a batch of 16 made-up points: prints the loss and part of its
 * gradient, from the function vgradcc generated from mlp.c. Build:
 *
 *     vgradcc mlp.c -o mlp.vg.c
 *     cc mlp_main.c mlp.c mlp.vg.c -lvgrad -lm */
#include <math.h>
#include <stdio.h>

#include "mlp.h"
#include "mlp.vg.h" /* declares mlp_loss_value_and_grad */

enum { NIN = 4, NHID = 8, BATCH = 16 };

int main(void) {
  REAL W1[NHID * NIN], b1[NHID], W2[NHID], b2 = (REAL)0.05, X[BATCH * NIN], y[BATCH];
  for (int i = 0; i < NHID * NIN; i++)
    W1[i] = (REAL)(0.4 * sin(0.71 * i + 0.3));
  for (int j = 0; j < NHID; j++) {
    b1[j] = (REAL)(0.1 * cos(0.19 * j));
    W2[j] = (REAL)(0.3 * sin(1.3 * j + 0.2));
  }
  for (int i = 0; i < BATCH * NIN; i++)
    X[i] = (REAL)sin(0.37 * i + 0.1);
  for (int s = 0; s < BATCH; s++)
    y[s] = (REAL)cos(0.53 * s);

  REAL d_W1[NHID * NIN] = {0}, d_b1[NHID] = {0}, d_W2[NHID] = {0}, d_b2 = 0;
  REAL loss = mlp_loss_value_and_grad(NIN, NHID, BATCH, W1, b1, W2, b2, X, y, d_W1, d_b1, d_W2, &d_b2);

  printf("mlp: %d-%d-1, batch %d\n", NIN, NHID, BATCH);
  printf("loss              = %.6f\n", (double)loss);
  printf("d loss / d W1[0..1] = [%.6f, %.6f]\n", (double)d_W1[0], (double)d_W1[1]);
  printf("d loss / d b1[0..1] = [%.6f, %.6f]\n", (double)d_b1[0], (double)d_b1[1]);
  printf("d loss / d W2[0..1] = [%.6f, %.6f]\n", (double)d_W2[0], (double)d_W2[1]);
  printf("d loss / d b2       = %.6f\n", (double)d_b2);
  return 0;
}
