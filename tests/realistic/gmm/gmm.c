/* A Gaussian mixture objective in the style of ADBench's C reference:
 * helpers over raw pointers, heap work arrays, the triangular product
 * accumulated into its output inside the inner loop (a comma-operator loop
 * header), an assert on the sizes.  Differentiated unchanged but for the
 * pragma at the end.  The objective is the one of
 * ../shared/adbench/README.md (GMM); REAL is double unless the test
 * builds it as float. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "gmm.h"

static REAL arr_max(int n, const REAL *x)
{
    REAL m = x[0];
    for (int i = 1; i < n; i++)
        if (m < x[i])
            m = x[i];
    return m;
}

static REAL logsumexp(int n, const REAL *x)
{
    REAL mx = arr_max(n, x);
    REAL semx = 0;
    for (int i = 0; i < n; i++)
        semx = semx + exp(x[i] - mx);
    return log(semx) + mx;
}

static REAL sqnorm(int n, const REAL *x)
{
    REAL res = x[0] * x[0];
    for (int i = 1; i < n; i++)
        res = res + x[i] * x[i];
    return res;
}

static void subtract(int d, const REAL *x, const REAL *y, REAL *out)
{
    for (int id = 0; id < d; id++)
        out[id] = x[id] - y[id];
}

/* out = Q x, Q lower triangular: diagonal Qdiag, strict lower part ltri
 * stored column by column. */
static void Qtimesx(int d, const REAL *Qdiag, const REAL *ltri, const REAL *x, REAL *out)
{
    int i, j, Lparamsidx;
    for (i = 0; i < d; i++)
        out[i] = Qdiag[i] * x[i];
    Lparamsidx = 0;
    for (i = 0; i < d; i++)
        for (j = i + 1; j < d; j++, Lparamsidx++)
            out[j] = out[j] + ltri[Lparamsidx] * x[i];
}

static REAL log_gamma_distrib(REAL a, REAL p)
{
    REAL out = 0.25 * p * (p - 1) * log(M_PI);
    for (int j = 1; j <= p; j++)
        out = out + lgamma(a + 0.5 * (1 - j));
    return out;
}

static REAL log_wishart_prior(int p, int k, REAL wishart_gamma, int wishart_m,
                              const REAL *sum_qs, const REAL *Qdiags, const REAL *icf)
{
    int n = p + wishart_m + 1;
    int icf_sz = p * (p + 1) / 2;
    REAL C = n * p * (log(wishart_gamma) - 0.5 * log(2)) - log_gamma_distrib(0.5 * n, p);
    REAL out = 0;
    for (int ik = 0; ik < k; ik++) {
        REAL frobenius = sqnorm(p, &Qdiags[ik * p]) + sqnorm(icf_sz - p, &icf[ik * icf_sz + p]);
        out = out + 0.5 * wishart_gamma * wishart_gamma * frobenius - wishart_m * sum_qs[ik];
    }
    return out - k * C;
}

static void preprocess_qs(int d, int k, const REAL *icf, REAL *sum_qs, REAL *Qdiags)
{
    int icf_sz = d * (d + 1) / 2;
    for (int ik = 0; ik < k; ik++) {
        sum_qs[ik] = 0.;
        for (int id = 0; id < d; id++) {
            REAL q = icf[ik * icf_sz + id];
            sum_qs[ik] = sum_qs[ik] + q;
            Qdiags[ik * d + id] = exp(q);
        }
    }
}

void gmm_objective(int d, int k, int n, const REAL *alphas, const REAL *means,
                   const REAL *icf, const REAL *x, REAL wishart_gamma, int wishart_m,
                   REAL *err)
{
    assert(d > 0 && k > 0 && n > 0);
    const REAL CONSTANT = -n * d * 0.5 * log(2 * M_PI);
    int icf_sz = d * (d + 1) / 2;

    REAL *Qdiags = malloc(d * k * sizeof(REAL));
    REAL *sum_qs = malloc(k * sizeof(REAL));
    REAL *xcentered = malloc(d * sizeof(REAL));
    REAL *Qxcentered = malloc(d * sizeof(REAL));
    REAL *main_term = malloc(k * sizeof(REAL));

    preprocess_qs(d, k, icf, sum_qs, Qdiags);

    REAL slse = 0.;
    for (int ix = 0; ix < n; ix++) {
        for (int ik = 0; ik < k; ik++) {
            subtract(d, &x[ix * d], &means[ik * d], xcentered);
            Qtimesx(d, &Qdiags[ik * d], &icf[ik * icf_sz + d], xcentered, Qxcentered);
            main_term[ik] = alphas[ik] + sum_qs[ik] - 0.5 * sqnorm(d, Qxcentered);
        }
        slse = slse + logsumexp(k, main_term);
    }

    REAL lse_alphas = logsumexp(k, alphas);
    *err = CONSTANT + slse - n * lse_alphas;
    *err = *err + log_wishart_prior(d, k, wishart_gamma, wishart_m, sum_qs, Qdiags, icf);

    free(Qdiags);
    free(sum_qs);
    free(xcentered);
    free(Qxcentered);
    free(main_term);
}

#pragma vgrad grad(gmm_objective) argnames(alphas, means, icf) loss(err)
