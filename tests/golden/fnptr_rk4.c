/* fnptr_rk4: fitting the four rates of a Lotka-Volterra model to observed
 * populations with a classical Runge-Kutta integrator that takes the
 * right-hand side as a function pointer, called as (*rhs)(...), and a
 * void *ctx handed through to it (the rates, as a struct).  vgradcc
 * inlines rk4_step and, through rhs, lotka_volterra: the pointer holds
 * the one function fit passes.  FD f64/f32. */
#include "fnptr_rk4.h"

static void lotka_volterra(REAL t, const REAL *y, REAL *dy, void *ctx) {
  const struct rates *r = (const struct rates *)ctx;
  (void)t;
  dy[0] = r->birth * y[0] - r->predation * y[0] * y[1];
  dy[1] = r->growth * y[0] * y[1] - r->death * y[1];
}

/* One step of size h from t: y becomes y(t + h). */
static void rk4_step(void (*rhs)(REAL, const REAL *, REAL *, void *), REAL t, REAL h, REAL *y, void *ctx) {
  REAL k1[2], k2[2], k3[2], k4[2], tmp[2];
  (*rhs)(t, y, k1, ctx);
  for (int i = 0; i < 2; i++)
    tmp[i] = y[i] + h / 2 * k1[i];
  (*rhs)(t + h / 2, tmp, k2, ctx);
  for (int i = 0; i < 2; i++)
    tmp[i] = y[i] + h / 2 * k2[i];
  (*rhs)(t + h / 2, tmp, k3, ctx);
  for (int i = 0; i < 2; i++)
    tmp[i] = y[i] + h * k3[i];
  (*rhs)(t + h, tmp, k4, ctx);
  for (int i = 0; i < 2; i++)
    y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
}

/* Sum of squared differences between the model, started at y0, and the
 * populations observed every `substeps` steps of size h. */
REAL lv_fit(struct rates *r, const REAL *y0, const REAL *observed, int nobs, int substeps, REAL h) {
  REAL y[2] = {y0[0], y0[1]};
  REAL loss = 0;
  REAL t = 0;
  for (int k = 0; k < nobs; k++) {
    for (int s = 0; s < substeps; s++) {
      rk4_step(lotka_volterra, t, h, y, r);
      t += h;
    }
    REAL e0 = y[0] - observed[2 * k], e1 = y[1] - observed[2 * k + 1];
    loss += e0 * e0 + e1 * e1;
  }
  return loss;
}
#pragma vgrad value_and_grad(lv_fit) argnums(0, 1)

#ifdef VG_DRIVER
#include "fnptr_rk4.vg.h"
#include "fdcheck.h"

static struct rates in_r = {1.1, 0.4, 0.1, 0.4};
static REAL in_y0[2] = {10, 5};
/* populations with rates {1.0, 0.45, 0.12, 0.38} (fine Euler steps), rounded */
static const REAL observed[8] = {6.95, 5.86, 4.48, 6.31, 2.81, 6.39, 1.77, 6.22};
static REAL loss(void) { return lv_fit(&in_r, in_y0, observed, 4, 5, (REAL)0.05); }

int main(void) {
  struct rates d_r = {0, 0, 0, 0};
  REAL d_y0[2] = {0};
  REAL v = lv_fit_value_and_grad(&in_r, in_y0, observed, 4, 5, (REAL)0.05, &d_r, d_y0);
  fd_value("lv_fit", v, loss());
  fd_check("d_r.birth", -1, &in_r.birth, d_r.birth, loss);
  fd_check("d_r.predation", -1, &in_r.predation, d_r.predation, loss);
  fd_check("d_r.growth", -1, &in_r.growth, d_r.growth, loss);
  fd_check("d_r.death", -1, &in_r.death, d_r.death, loss);
  fd_check_array("d_y0", in_y0, d_y0, 2, loss);
  return fd_report("fnptr_rk4");
}
#endif
