#ifndef GMM_H
#define GMM_H
#ifndef REAL
#define REAL double
#endif
void gmm_objective(int d, int k, int n, const REAL *alphas, const REAL *means,
                   const REAL *icf, const REAL *x, REAL wishart_gamma, int wishart_m,
                   REAL *err);
#endif
