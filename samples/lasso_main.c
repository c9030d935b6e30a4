/* lasso_main.c: calls the function vgradcc generated from lasso.c and
 * prints the loss, its parts (the auxiliary outputs) and the gradient.
 *
 *     vgradcc lasso.c -o lasso.vg.c
 *     cc lasso_main.c lasso.c lasso.vg.c -lvgrad -lm */
#include <stdio.h>

#include "lasso.vg.h" /* declares lasso_value_and_grad and LassoOut */

int main(void) {
  enum { N = 4, D = 2 };
  const double x[N * D] = {
      1.0, 2.0, /* point 0 */
      2.0, 0.5, /* point 1 */
      -1.0, 1.5, /* point 2 */
      0.5, -1.0, /* point 3 */
  };
  const double y[N] = {3.0, 2.5, 0.5, -0.25};
  const double w[D] = {0.5, -0.8};
  const double a = 1.0, b = 0.1; /* weights of the mse and the l1 term */

  double d_w[D] = {0, 0}; /* gradients are added to: start from zero */
  LassoOut out = lasso_value_and_grad(w, x, y, N, D, a, b, d_w);

  printf("loss        = %.6f\n", out.loss);
  printf("mse         = %.6f\n", out.mse);
  printf("l1          = %.6f\n", out.l1);
  printf("d loss / dw = [%.6f, %.6f]\n", d_w[0], d_w[1]);
  return 0;
}
