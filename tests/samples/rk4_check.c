/* rk4_check.c: the gradient vgradcc generates for samples/rk4.c (RK4 on a
 * four-species Lotka-Volterra system, here 50 steps of h = 0.05) against
 * central finite differences, for every entry of d_x0 and of the struct
 * d_par (r and a).  Tolerances: samplecheck.h. */
#include "rk4.h"
#include "rk4.vg.h"
#include "samplecheck.h"

enum { STEPS = 50 };

static REAL x0[LV_N], h = (REAL)0.05;
static LVParams par;

static REAL loss(void) { return lv_rk4(x0, &par, STEPS, h); }

int main(void) {
  for (int point = 0; point < 2; point++) {
    sc_fill(x0, LV_N, 0.2, 0.8);
    sc_fill(par.r, LV_N, 0.5, 1.5);
    for (int i = 0; i < LV_N; i++)
      sc_fill(par.a[i], LV_N, 0.1, 1.0);

    REAL d_x0[LV_N];
    LVParams d_par;
    sc_zero(d_x0, LV_N);
    sc_zero(d_par.r, LV_N);
    for (int i = 0; i < LV_N; i++)
      sc_zero(d_par.a[i], LV_N);
    REAL v = lv_rk4_value_and_grad(x0, &par, STEPS, h, d_x0, &d_par);

    REAL want = sc_begin(loss);
    printf("point %d: loss = %.10g\n", point, (double)want);
    fd_value("loss", v, want);
    sc_check_array("d_x0", x0, d_x0, LV_N, loss);
    sc_check_array("d_par.r", par.r, d_par.r, LV_N, loss);
    for (int i = 0; i < LV_N; i++) {
      char name[32];
      snprintf(name, sizeof name, "d_par.a[%d]", i);
      sc_check_array(name, par.a[i], d_par.a[i], LV_N, loss);
    }
  }
  return sc_report("rk4");
}
