/* Helpers defined `static inline` in an included header are differentiated
 * through like the file's own functions (inlined into the gradient). */
#include "header_inline.h"

REAL logistic_loss(const REAL *w, const REAL *x, const REAL *y, int n, int d) {
  REAL total = 0;
  for (int i = 0; i < n; i++) {
    REAL margin = y[hi_clamp_index(i, n)] * hi_dot(w, x + i * d, d);
    total += hi_softplus(-margin);
  }
  return total / n;
}
#pragma vgrad value_and_grad(logistic_loss)

#ifdef VG_DRIVER
#include "header_inline.vg.h"
#include "fdcheck.h"

static REAL in_w[3] = {0.5, -0.4, 0.2};
static REAL in_x[4 * 3] = {1.0, 0.3, -0.7, -0.4, 1.2, 0.5, 0.9, -1.1, 0.2, 0.1, 0.4, 1.5};
static REAL in_y[4] = {1, -1, 1, -1};

static REAL loss(void) { return logistic_loss(in_w, in_x, in_y, 4, 3); }

int main(void) {
  REAL d_w[3] = {0};
  REAL v = logistic_loss_value_and_grad(in_w, in_x, in_y, 4, 3, d_w);
  fd_value("logistic_loss", v, loss());
  fd_check_array("d_w", in_w, d_w, 3, loss);
  return fd_report("header_inline");
}
#endif
