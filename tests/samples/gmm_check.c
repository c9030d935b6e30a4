/* gmm_check.c: the gradient vgradcc generates for samples/gmm.c (the ADBench
 * GMM objective) against central finite differences, for every entry of
 * d_alphas, d_means and d_icf, at d = 3, K = 2, n = 5, at two points (the
 * second with m = 0 in the Wishart prior).  Tolerances: samplecheck.h. */
#include "gmm.h"
#include "gmm.vg.h"
#include "samplecheck.h"

enum { D = 3, K = 2, N = 5, ICF = D * (D + 1) / 2 };

static REAL alphas[K], means[K * D], icf[K * ICF], x[N * D];
static Wishart wishart;

static REAL loss(void) {
  REAL err = 0;
  gmm_objective(D, K, N, alphas, means, icf, x, wishart, &err);
  return err;
}

int main(void) {
  for (int point = 0; point < 2; point++) {
    sc_fill(alphas, K, -1, 1);
    sc_fill(means, K * D, -1, 1);
    /* Log-diagonal (first D of each component) and strict lower part. */
    sc_fill(icf, K * ICF, -0.5, 0.5);
    sc_fill(x, N * D, -1.5, 1.5);
    wishart.gamma = point == 0 ? (REAL)1.5 : (REAL)0.8;
    wishart.m = point == 0 ? 2 : 0;

    REAL err = -1;
    REAL d_alphas[K], d_means[K * D], d_icf[K * ICF];
    sc_zero(d_alphas, K);
    sc_zero(d_means, K * D);
    sc_zero(d_icf, K * ICF);
    gmm_objective_value_and_grad(D, K, N, alphas, means, icf, x, wishart, &err, d_alphas, d_means,
                                 d_icf);

    REAL want = sc_begin(loss);
    printf("point %d: err = %.10g\n", point, (double)want);
    fd_value("err", err, want);
    sc_check_array("d_alphas", alphas, d_alphas, K, loss);
    sc_check_array("d_means", means, d_means, K * D, loss);
    sc_check_array("d_icf", icf, d_icf, K * ICF, loss);
  }
  return sc_report("gmm");
}
