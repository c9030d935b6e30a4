/* lasso_check.c: checks samples/lasso.c's generated lasso_value_and_grad:
 * loss and auxiliary outputs equal lasso()'s, and the gradient matches
 * central finite differences (tests/fdcheck.h), at two points away from
 * the kinks of |w|. */
#include "lasso.vg.h" /* defines LassoOut */
#include "fdcheck.h"

LassoOut lasso(const REAL *w, const REAL *x, const REAL *y, int n, int d, REAL a, REAL b);

static const REAL x[8] = {1.0, 2.0, 2.0, 0.5, -1.0, 1.5, 0.5, -1.0};
static const REAL y[4] = {3.0, 2.5, 0.5, -0.25};
static const REAL a = 1.0, b = 0.1;
static REAL w[2];

static REAL loss(void) { return lasso(w, x, y, 4, 2, a, b).loss; }

int main(void) {
  static const REAL points[][2] = {{0.5, -0.8}, {-1.25, 0.3}};
  for (int p = 0; p < 2; p++) {
    w[0] = points[p][0];
    w[1] = points[p][1];
    REAL d_w[2] = {0, 0};
    LassoOut got = lasso_value_and_grad(w, x, y, 4, 2, a, b, d_w);
    LassoOut want = lasso(w, x, y, 4, 2, a, b);
    fd_value("loss", got.loss, want.loss);
    fd_value("mse", got.mse, want.mse);
    fd_value("l1", got.l1, want.l1);
    fd_check_array("d_w", w, d_w, 2, loss);
  }
  return fd_report("lasso");
}
