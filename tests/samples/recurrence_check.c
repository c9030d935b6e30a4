/* recurrence_check.c: the gradient vgradcc generates for
 * samples/recurrence.c (x = x + h sin(p x), here 1000 steps of h = 0.002)
 * against central finite differences, for d_x0 and d_p, at three points.
 * Tolerances: samplecheck.h. */
#include "recurrence.h"
#include "recurrence.vg.h"
#include "samplecheck.h"

enum { STEPS = 1000 };

static REAL x0, p, h = (REAL)0.002;

static REAL loss(void) { return recurrence(x0, p, h, STEPS); }

int main(void) {
  static const double points[][2] = {{0.4, 1.3}, {-1.1, 0.7}, {2.5, -0.9}};
  for (int i = 0; i < 3; i++) {
    x0 = (REAL)points[i][0];
    p = (REAL)points[i][1];
    REAL d_x0 = 0, d_p = 0;
    REAL v = recurrence_value_and_grad(x0, p, h, STEPS, &d_x0, &d_p);

    REAL want = sc_begin(loss);
    printf("x0 = %g, p = %g: x_%d = %.10g, d/dx0 %.10g, d/dp %.10g\n", points[i][0], points[i][1],
           STEPS, (double)want, (double)d_x0, (double)d_p);
    fd_value("value", v, want);
    sc_check("d_x0", -1, &x0, d_x0, loss);
    sc_check("d_p", -1, &p, d_p, loss);
  }
  return sc_report("recurrence");
}
