/* logreg_main.c: L2-regularised logistic regression on 12 made-up examples
 * of 3 features, and a few steps of gradient descent with the function
 * vgradcc generated from logreg.c: prints the loss and gradient before and
 * after. Build:
 *
 *     vgradcc logreg.c -o logreg.vg.c
 *     cc logreg_main.c logreg.c logreg.vg.c -lvgrad -lm */
#include <math.h>
#include <stdio.h>

#include "logreg.h"
#include "logreg.vg.h" /* declares logreg_loss_value_and_grad */

enum { N = 12, D = 3 };

int main(void) {
  REAL X[N * D], w[D] = {0, 0, 0}, b = 0, lambda = (REAL)0.01;
  int y[N];
  for (int i = 0; i < N; i++) {
    for (int j = 0; j < D; j++)
      X[i * D + j] = (REAL)sin(1.3 * i + 0.7 * j + 0.2);
    /* The label of a noisy linear rule. */
    y[i] = X[i * D] - 0.5 * X[i * D + 1] + 0.3 * sin(5.1 * i) > 0;
  }

  for (int step = 0; step <= 50; step++) {
    REAL d_w[D] = {0, 0, 0}, d_b = 0; /* gradients are added to: zero them */
    REAL loss = logreg_loss_value_and_grad(w, b, X, y, N, D, lambda, d_w, &d_b);
    if (step % 25 == 0)
      printf("step %2d: loss = %.6f, d loss / d w = [%.6f, %.6f, %.6f], d loss / d b = %.6f\n", step,
             (double)loss, (double)d_w[0], (double)d_w[1], (double)d_w[2], (double)d_b);
    for (int j = 0; j < D; j++)
      w[j] -= d_w[j];
    b -= d_b;
  }
  printf("w = [%.4f, %.4f, %.4f], b = %.4f\n", (double)w[0], (double)w[1], (double)w[2], (double)b);
  return 0;
}
