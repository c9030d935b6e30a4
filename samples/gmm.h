/* gmm.h: negative log-likelihood of a Gaussian mixture with a Wishart prior. */
#ifndef GMM_H
#define GMM_H

typedef struct {
  double gamma;
  int m;
} Wishart;

/* d: dimension, k: components, n: points. alphas (k), means (k*d),
 * icf (k*d*(d+1)/2: log-diagonal then strict lower part of each Q, column by
 * column), x (n*d). Writes the objective to *err. */
void gmm_objective(int d, int k, int n, const double *alphas, const double *means,
                   const double *icf, const double *x, Wishart wishart, double *err);

#endif
