/* gmm.c: the ADBench GMM objective, written from its definition. */
#include "gmm.h"

#include <math.h>
#include <stdlib.h>

#pragma vgrad value_and_grad(gmm_objective) argnames(alphas, means, icf) loss(err)

static const double PI = 3.14159265358979323846;

/* log(sum_i exp(v[i])), shifted by the maximum so that it cannot overflow. */
static double log_sum_exp(int len, const double *v) {
  double mx = v[0];
  for (int i = 1; i < len; i++)
    if (v[i] > mx)
      mx = v[i];
  double sum = 0.0;
  for (int i = 0; i < len; i++)
    sum += exp(v[i] - mx);
  return log(sum) + mx;
}

/* log of the multivariate gamma function Gamma_d(a). */
static double log_gamma_distrib(double a, int d) {
  double r = 0.25 * d * (d - 1) * log(PI);
  for (int j = 1; j <= d; j++)
    r += lgamma(a + 0.5 * (1 - j));
  return r;
}

static double sqnorm(int len, const double *v) {
  double s = 0.0;
  for (int i = 0; i < len; i++)
    s += v[i] * v[i];
  return s;
}

/* out = Q v, with Q lower triangular: diagonal exp(icf[0..d)), strict lower
 * part icf[d..] stored column by column. */
static void q_times(int d, const double *icf, const double *v, double *out) {
  for (int i = 0; i < d; i++)
    out[i] = exp(icf[i]) * v[i];
  const double *lower = icf + d;
  for (int col = 0; col < d; col++)
    for (int row = col + 1; row < d; row++)
      out[row] += *lower++ * v[col];
}

/* Sum over components of 1/2 gamma^2 ||Q||_F^2 - m log det Q, minus the
 * normalising constant of the Wishart density. */
static double log_wishart_prior(int d, int k, Wishart wishart, const double *sum_log_diag,
                                const double *icf) {
  int icf_len = d * (d + 1) / 2;
  int dof = d + wishart.m + 1;
  double c = dof * d * (log(wishart.gamma) - 0.5 * log(2.0)) -
             log_gamma_distrib(0.5 * dof, d);
  double total = 0.0;
  for (int comp = 0; comp < k; comp++) {
    const double *q = icf + comp * icf_len;
    double frobenius = 0.0;
    for (int i = 0; i < d; i++)
      frobenius += exp(2.0 * q[i]);
    frobenius += sqnorm(icf_len - d, q + d);
    total += 0.5 * wishart.gamma * wishart.gamma * frobenius - wishart.m * sum_log_diag[comp];
  }
  return total - k * c;
}

void gmm_objective(int d, int k, int n, const double *alphas, const double *means,
                   const double *icf, const double *x, Wishart wishart, double *err) {
  int icf_len = d * (d + 1) / 2;
  double *sum_log_diag = malloc(k * sizeof *sum_log_diag);
  double *main_term = malloc(k * sizeof *main_term);
  double centred[d], q_centred[d];

  for (int comp = 0; comp < k; comp++) {
    sum_log_diag[comp] = 0.0;
    for (int j = 0; j < d; j++)
      sum_log_diag[comp] += icf[comp * icf_len + j];
  }

  double slse = 0.0;
  for (int i = 0; i < n; i++) {
    const double *xi = x + i * d;
    for (int comp = 0; comp < k; comp++) {
      const double *mu = means + comp * d;
      for (int j = 0; j < d; j++)
        centred[j] = xi[j] - mu[j];
      q_times(d, icf + comp * icf_len, centred, q_centred);
      main_term[comp] = alphas[comp] + sum_log_diag[comp] - 0.5 * sqnorm(d, q_centred);
    }
    slse += log_sum_exp(k, main_term);
  }

  double constant = -0.5 * n * d * log(2.0 * PI);
  *err = constant + slse - n * log_sum_exp(k, alphas) +
         log_wishart_prior(d, k, wishart, sum_log_diag, icf);
  free(main_term);
  free(sum_log_diag);
}
