/* cli/multi-static-locals: spline_loss.vg.c (from spline_loss.c and
 * spline_tail.c) against finite differences of the original; REAL
 * double or float. */
#include "fdcheck.h"
#include "spline.h"
#include "spline_loss.vg.h"

REAL spline_loss(const REAL *x, int n);

static REAL x[4] = {-0.6, 0.1, 0.45, 1.2};

static REAL loss(void) { return spline_loss(x, 4); }

int main(void) {
  REAL d_x[4] = {0};
  REAL v = spline_loss_value_and_grad(x, 4, d_x);
  fd_value("spline_loss", v, loss());
  fd_check_array("d_x", x, d_x, 4, loss);
  return fd_report("multi-static-locals");
}
