/* gmm.c: the ADBench GMM objective, written from its definition
 * (shared/adbench/README.md): for K components in d dimensions and n points,
 *
 *   err = -n d/2 log(2 pi)
 *       + sum_i logsumexp_k(alpha_k + sum_j log Q_k[j][j] - 1/2 |Q_k (x_i - mu_k)|^2)
 *       - n logsumexp_k(alpha_k)
 *       + sum_k [1/2 gamma^2 |Q_k|_F^2 - m sum_j log Q_k[j][j]]
 *       - K (N d (log gamma - 1/2 log 2) - log Gamma_d(N/2)),   N = d + m + 1
 *
 * where Q_k, lower triangular, is the Cholesky-style factor of component k's
 * inverse covariance: icf_k[0..d) are the logs of its diagonal, icf_k[d..]
 * its strict lower part column by column. logsumexp subtracts the maximum
 * first. vgradcc differentiates err with respect to alphas, means and icf.
 *
 * Compile with -DREAL=float for a float32 version. */
#include "gmm.h"

#include <math.h>
#include <stdlib.h>

#pragma vgrad value_and_grad(gmm_objective) argnames(alphas, means, icf) loss(err)

static const REAL PI = 3.14159265358979323846;

/* log(sum_i exp(v[i])), shifted by the maximum so that it cannot overflow. */
static REAL log_sum_exp(int len, const REAL *v) {
  REAL mx = v[0];
  for (int i = 1; i < len; i++)
    if (v[i] > mx)
      mx = v[i];
  REAL sum = 0.0;
  for (int i = 0; i < len; i++)
    sum += exp(v[i] - mx);
  return log(sum) + mx;
}

/* log of the multivariate gamma function Gamma_d(a). */
static REAL log_gamma_distrib(REAL a, int d) {
  REAL r = 0.25 * d * (d - 1) * log(PI);
  for (int j = 1; j <= d; j++)
    r += lgamma(a + 0.5 * (1 - j));
  return r;
}

static REAL sqnorm(int len, const REAL *v) {
  REAL s = 0.0;
  for (int i = 0; i < len; i++)
    s += v[i] * v[i];
  return s;
}

/* out = Q v, with Q lower triangular: diagonal exp(icf[0..d)), strict lower
 * part icf[d..] stored column by column. */
static void q_times(int d, const REAL *icf, const REAL *v, REAL *out) {
  for (int i = 0; i < d; i++)
    out[i] = exp(icf[i]) * v[i];
  const REAL *lower = icf + d;
  for (int col = 0; col < d; col++)
    for (int row = col + 1; row < d; row++)
      out[row] += *lower++ * v[col];
}

/* Sum over components of 1/2 gamma^2 ||Q||_F^2 - m log det Q, minus the
 * normalising constant of the Wishart density. */
static REAL log_wishart_prior(int d, int k, Wishart wishart, const REAL *sum_log_diag,
                                const REAL *icf) {
  int icf_len = d * (d + 1) / 2;
  int dof = d + wishart.m + 1;
  REAL c = dof * d * (log(wishart.gamma) - 0.5 * log(2.0)) -
             log_gamma_distrib(0.5 * dof, d);
  REAL total = 0.0;
  for (int comp = 0; comp < k; comp++) {
    const REAL *q = icf + comp * icf_len;
    REAL frobenius = 0.0;
    for (int i = 0; i < d; i++)
      frobenius += exp(2.0 * q[i]);
    frobenius += sqnorm(icf_len - d, q + d);
    total += 0.5 * wishart.gamma * wishart.gamma * frobenius - wishart.m * sum_log_diag[comp];
  }
  return total - k * c;
}

void gmm_objective(int d, int k, int n, const REAL *alphas, const REAL *means,
                   const REAL *icf, const REAL *x, Wishart wishart, REAL *err) {
  int icf_len = d * (d + 1) / 2;
  REAL *sum_log_diag = malloc(k * sizeof *sum_log_diag);
  REAL *main_term = malloc(k * sizeof *main_term);
  REAL centred[d], q_centred[d];

  for (int comp = 0; comp < k; comp++) {
    sum_log_diag[comp] = 0.0;
    for (int j = 0; j < d; j++)
      sum_log_diag[comp] += icf[comp * icf_len + j];
  }

  REAL slse = 0.0;
  for (int i = 0; i < n; i++) {
    const REAL *xi = x + i * d;
    for (int comp = 0; comp < k; comp++) {
      const REAL *mu = means + comp * d;
      for (int j = 0; j < d; j++)
        centred[j] = xi[j] - mu[j];
      q_times(d, icf + comp * icf_len, centred, q_centred);
      main_term[comp] = alphas[comp] + sum_log_diag[comp] - 0.5 * sqnorm(d, q_centred);
    }
    slse += log_sum_exp(k, main_term);
  }

  REAL constant = -0.5 * n * d * log(2.0 * PI);
  *err = constant + slse - n * log_sum_exp(k, alphas) +
         log_wishart_prior(d, k, wishart, sum_log_diag, icf);
  free(main_term);
  free(sum_log_diag);
}
