/* ref/gmm.h: the ADBench GMM objective written as ADBench's C reference
 * writes it (see gmm.c); same inputs and value as ../../samples/gmm.h. */
#ifndef REF_GMM_H
#define REF_GMM_H

typedef struct {
  double gamma;
  int m;
} RefWishart;

/* The triangular product accumulated with `out[j] = out[j] + l * x[i]`. */
void ref_gmm_objective(int d, int k, int n, const double *alphas, const double *means,
                       const double *icf, const double *x, RefWishart wishart, double *err);

/* The same objective with the product accumulated by `out[j] += l * x[i]`. */
void ref_gmm_objective_pe(int d, int k, int n, const double *alphas, const double *means,
                          const double *icf, const double *x, RefWishart wishart, double *err);

#endif
