/* logreg_check.c: the gradient vgradcc generates for samples/logreg.c
 * (L2-regularised logistic regression, n = 8 examples of d = 3 features)
 * against central finite differences, for every entry of d_w and d_b, at
 * two points; the second has large weights, so that some z_i are far out
 * on both sides (the softplus's two regimes).  Tolerances: samplecheck.h. */
#include "logreg.h"
#include "logreg.vg.h"
#include "samplecheck.h"

enum { N = 8, D = 3 };

static REAL w[D], b, X[N * D], lambda = (REAL)0.1;
static int y[N];

static REAL loss(void) { return logreg_loss(w, b, X, y, N, D, lambda); }

int main(void) {
  sc_fill(X, N * D, -1, 1);
  for (int i = 0; i < N; i++)
    y[i] = sc_uniform(0, 1) < 0.5;
  for (int point = 0; point < 2; point++) {
    double scale = point == 0 ? 1 : 8;
    sc_fill(w, D, -scale, scale);
    b = (REAL)sc_uniform(-0.5, 0.5);
    REAL d_w[D], d_b = 0;
    sc_zero(d_w, D);
    REAL v = logreg_loss_value_and_grad(w, b, X, y, N, D, lambda, d_w, &d_b);

    REAL want = sc_begin(loss);
    printf("point %d: loss = %.10g\n", point, (double)want);
    fd_value("loss", v, want);
    sc_check_array("d_w", w, d_w, D, loss);
    sc_check("d_b", -1, &b, d_b, loss);
  }
  return sc_report("logreg");
}
