/* mse_main.c: calls the function vgradcc generated from mse.c and prints
 * the loss and its gradient.  Build (see demo.sh):
 *
 *     vgradcc mse.c -o mse.vg.c
 *     cc mse_main.c mse.c mse.vg.c -lvgrad -lm */
#include <stdio.h>

#include "mse.vg.h" /* declares mse_value_and_grad */

int main(void) {
  enum { N = 4, D = 2 };
  const double x[N * D] = {
      1.0, 2.0, /* point 0 */
      2.0, 0.5, /* point 1 */
      -1.0, 1.5, /* point 2 */
      0.5, -1.0, /* point 3 */
  };
  const double y[N] = {3.0, 2.5, 0.5, -0.25};
  const double w[D] = {0.5, 0.8};
  const double b = 0.1;

  double d_w[D] = {0, 0}; /* gradients are added to: start from zero */
  double d_b = 0;
  double loss = mse_value_and_grad(w, b, x, y, N, D, d_w, &d_b);

  printf("mse(w, b)   = %.6f\n", loss);
  printf("d mse / d w = [%.6f, %.6f]\n", d_w[0], d_w[1]);
  printf("d mse / d b = %.6f\n", d_b);
  return 0;
}
