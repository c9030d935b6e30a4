/* mse_check.c: checks the gradient vgradcc generates for samples/mse.c
 * against central finite differences (tests/fdcheck.h), at two points. */
#include "mse.vg.h"
#include "fdcheck.h"

REAL mse(const REAL *w, REAL b, const REAL *x, const REAL *y, int n, int d);

enum { N = 4, D = 2 };
static const REAL x[N * D] = {1.0, 2.0, 2.0, 0.5, -1.0, 1.5, 0.5, -1.0};
static const REAL y[N] = {3.0, 2.5, 0.5, -0.25};
static REAL w[D], b;

static REAL loss(void) { return mse(w, b, x, y, N, D); }

int main(void) {
  static const REAL points[][D + 1] = {{0.5, 0.8, 0.1}, {-1.5, 2.25, -0.75}};
  for (int p = 0; p < 2; p++) {
    w[0] = points[p][0];
    w[1] = points[p][1];
    b = points[p][2];
    REAL d_w[D] = {0, 0}, d_b = 0;
    REAL v = mse_value_and_grad(w, b, x, y, N, D, d_w, &d_b);
    fd_value("value", v, loss());
    fd_check_array("d_w", w, d_w, D, loss);
    fd_check("d_b", -1, &b, d_b, loss);
  }
  return fd_report("mse");
}
