/* gmm.h: negative log-likelihood of a Gaussian mixture with a Wishart prior
 * (the ADBench GMM objective; its definition is in gmm.c).
 *
 * REAL is double unless the file is compiled with -DREAL=float. */
#ifndef GMM_H
#define GMM_H

#ifndef REAL
#define REAL double
#endif

typedef struct {
  REAL gamma;
  int m;
} Wishart;

/* d: dimension, k: components, n: points. alphas (k), means (k*d),
 * icf (k*d*(d+1)/2: log-diagonal then strict lower part of each Q, column by
 * column), x (n*d). Writes the objective to *err. */
void gmm_objective(int d, int k, int n, const REAL *alphas, const REAL *means,
                   const REAL *icf, const REAL *x, Wishart wishart, REAL *err);

#endif
