/* gmm_main.c: the ADBench GMM objective on a small made-up mixture (d = 2
 * dimensions, K = 3 components, n = 10 points): prints the objective and
 * part of its gradient, from the function vgradcc generated from gmm.c.
 * Build:
 *
 *     vgradcc gmm.c -o gmm.vg.c
 *     cc gmm_main.c gmm.c gmm.vg.c -lvgrad -lm */
#include <math.h>
#include <stdio.h>

#include "gmm.h"
#include "gmm.vg.h" /* declares gmm_objective_value_and_grad */

enum { D = 2, K = 3, N = 10, ICF = D * (D + 1) / 2 };

int main(void) {
  REAL alphas[K], means[K * D], icf[K * ICF], x[N * D];
  for (int k = 0; k < K; k++) {
    alphas[k] = (REAL)(0.3 * k - 0.2);
    for (int j = 0; j < D; j++)
      means[k * D + j] = (REAL)cos(1.7 * k + 2.1 * j);
    for (int j = 0; j < ICF; j++)
      icf[k * ICF + j] = (REAL)(0.25 * sin(0.9 * k + 1.3 * j));
  }
  for (int i = 0; i < N * D; i++)
    x[i] = (REAL)(1.5 * sin(0.77 * i + 0.4));
  Wishart wishart = {(REAL)1.0, 0};

  /* Gradients are added to: start from zero. */
  REAL err, d_alphas[K] = {0}, d_means[K * D] = {0}, d_icf[K * ICF] = {0};
  gmm_objective_value_and_grad(D, K, N, alphas, means, icf, x, wishart, &err, d_alphas, d_means,
                               d_icf);

  printf("gmm: d = %d, K = %d, n = %d\n", D, K, N);
  printf("err            = %.6f\n", (double)err);
  printf("d err / d alphas = [%.6f, %.6f, %.6f]\n", (double)d_alphas[0], (double)d_alphas[1],
         (double)d_alphas[2]);
  printf("d err / d means[0..1] = [%.6f, %.6f]\n", (double)d_means[0], (double)d_means[1]);
  printf("d err / d icf[0..2]   = [%.6f, %.6f, %.6f]\n", (double)d_icf[0], (double)d_icf[1],
         (double)d_icf[2]);
  return 0;
}
