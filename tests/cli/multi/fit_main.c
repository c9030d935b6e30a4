/* cli/multi-helper: fit.vg.c (from fit.c and model.c) against finite
 * differences of the original fit, and of model_predict, whose pragma is
 * in fit.c and whose body in model.c; REAL double or float. */
#include "fdcheck.h"
#include "model.h"
#include "fit.vg.h"

REAL fit(const REAL *w, const REAL *xs, const REAL *ys, int n, int k);

static REAL w[3] = {0.4, -0.3, 0.8};
static REAL xs[5] = {-1.2, -0.4, 0.3, 0.9, 1.6};
static REAL ys[5] = {0.5, -0.2, 0.1, 1.1, 0.7};

static REAL loss(void) { return fit(w, xs, ys, 5, 3); }
static REAL predicted(void) { return model_predict(w, (REAL)0.7, 3); }

int main(void) {
  REAL d_w[3] = {0};
  REAL v = fit_value_and_grad(w, xs, ys, 5, 3, d_w);
  fd_value("fit", v, loss());
  fd_check_array("d_w", w, d_w, 3, loss);
  REAL d_w_model[3] = {0};
  model_predict_grad(w, (REAL)0.7, 3, d_w_model);
  fd_check_array("model_predict d_w", w, d_w_model, 3, predicted);
  return fd_report("multi-helper");
}
