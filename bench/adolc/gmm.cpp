// gmm.cpp: the GMM objective of objectives/gmm.c with adouble.
#include <cmath>
#include <vector>

#include "../load.h"
#include "adolc_bench.h"
#include "adolc_tape.h"

namespace {

const double PI = 3.14159265358979323846;

adouble log_sum_exp(int len, const adouble *v) {
  adouble mx = v[0];
  for (int i = 1; i < len; i++)
    if (v[i] > mx)
      mx = v[i];
  adouble sum = 0.0;
  for (int i = 0; i < len; i++)
    sum += exp(v[i] - mx);
  return log(sum) + mx;
}

double log_gamma_distrib(double a, int d) {
  double r = 0.25 * d * (d - 1) * std::log(PI);
  for (int j = 1; j <= d; j++)
    r += std::lgamma(a + 0.5 * (1 - j));
  return r;
}

adouble sqnorm(int len, const adouble *v) {
  adouble s = 0.0;
  for (int i = 0; i < len; i++)
    s += v[i] * v[i];
  return s;
}

void q_times(int d, const adouble *icf, const adouble *v, adouble *out) {
  for (int i = 0; i < d; i++)
    out[i] = exp(icf[i]) * v[i];
  const adouble *lower = icf + d;
  for (int col = 0; col < d; col++)
    for (int row = col + 1; row < d; row++)
      out[row] += *lower++ * v[col];
}

adouble gmm_record(const void *ctx, const adouble *theta) {
  const GmmInput *in = static_cast<const GmmInput *>(ctx);
  int d = in->d, k = in->k, n = in->n, icf_len = d * (d + 1) / 2;
  const adouble *alphas = theta, *means = theta + k, *icf = means + k * d;
  std::vector<adouble> sum_log_diag(k), main_term(k), centred(d), q_centred(d);

  for (int comp = 0; comp < k; comp++) {
    sum_log_diag[comp] = 0.0;
    for (int j = 0; j < d; j++)
      sum_log_diag[comp] += icf[comp * icf_len + j];
  }
  adouble slse = 0.0;
  for (int i = 0; i < n; i++) {
    const double *xi = in->x + (long)i * d;
    for (int comp = 0; comp < k; comp++) {
      const adouble *mu = means + comp * d;
      for (int j = 0; j < d; j++)
        centred[j] = xi[j] - mu[j];
      q_times(d, icf + comp * icf_len, centred.data(), q_centred.data());
      main_term[comp] = alphas[comp] + sum_log_diag[comp] - 0.5 * sqnorm(d, q_centred.data());
    }
    slse += log_sum_exp(k, main_term.data());
  }

  int dof = d + in->m + 1;
  double c = dof * d * (std::log(in->gamma) - 0.5 * std::log(2.0)) -
             log_gamma_distrib(0.5 * dof, d);
  adouble prior = 0.0;
  for (int comp = 0; comp < k; comp++) {
    const adouble *q = icf + comp * icf_len;
    adouble frobenius = 0.0;
    for (int i = 0; i < d; i++)
      frobenius += exp(2.0 * q[i]);
    frobenius += sqnorm(icf_len - d, q + d);
    prior += 0.5 * in->gamma * in->gamma * frobenius - in->m * sum_log_diag[comp];
  }
  prior -= k * c;
  double constant = -0.5 * n * d * std::log(2.0 * PI);
  return constant + slse - n * log_sum_exp(k, alphas) + prior;
}

} // namespace

double adolc_gmm_tape(void *ctx, double *grad) {
  const GmmInput *in = static_cast<const GmmInput *>(ctx);
  return adolc_record_and_reverse(in, gmm_record, in->ntheta, in->theta, grad);
}

double adolc_gmm_reuse(void *ctx, double *grad) {
  const GmmInput *in = static_cast<const GmmInput *>(ctx);
  return adolc_reverse_reused(in->ntheta, in->theta, grad);
}
