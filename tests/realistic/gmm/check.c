/* The GMM objective's gradient against central finite differences
 * (tests/fdcheck.h), d = 3, k = 2, n = 5, at a point away from ties of
 * arr_max (its derivative jumps there). */
#include "fdcheck.h"
#include "gmm.h"
#include "gmm.vg.h"

enum { D = 3, K = 2, N = 5, ICF = D * (D + 1) / 2 };

static REAL alphas[K] = {0.3, -0.4};
static REAL means[K * D] = {0.1, -0.2, 0.5, -0.6, 0.3, 0.2};
static REAL icf[K * ICF] = {0.2, -0.1, 0.3, 0.4, -0.5, 0.25, -0.3, 0.1, 0.2, -0.2, 0.35, 0.15};
static REAL x[N * D] = {0.9, -0.3, 0.2, -0.7, 0.4, 1.1, 0.05, 0.6, -0.8,
                        1.3, -1.0, 0.45, -0.25, 0.15, 0.7};
static const REAL wishart_gamma = 1.0;
static const int wishart_m = 0;

static REAL loss(void)
{
    REAL err;
    gmm_objective(D, K, N, alphas, means, icf, x, wishart_gamma, wishart_m, &err);
    return err;
}

int main(void)
{
    REAL err = 0, d_alphas[K] = {0}, d_means[K * D] = {0}, d_icf[K * ICF] = {0};
    gmm_objective_grad(D, K, N, alphas, means, icf, x, wishart_gamma, wishart_m, &err,
                       d_alphas, d_means, d_icf);
    fd_value("err", err, loss());
    fd_check_array("d_alphas", alphas, d_alphas, K, loss);
    fd_check_array("d_means", means, d_means, K * D, loss);
    fd_check_array("d_icf", icf, d_icf, K * ICF, loss);
    return fd_report("realistic/gmm");
}
