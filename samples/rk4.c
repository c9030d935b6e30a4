/* rk4.c: classical Runge-Kutta (RK4) integration of a four-species
 * competitive Lotka-Volterra system, dx_i/dt = r_i x_i (1 - sum_j a_ij x_j),
 * for `steps` steps of size h, and the loss 1/2 |x(T)|^2 on the final state.
 * vgradcc differentiates it with respect to the initial state x0 and the
 * parameters, a struct (the gradient comes back as an LVParams).
 *
 * Compile with -DREAL=float for a float32 version. */
#include "rk4.h"

#pragma vgrad value_and_grad(lv_rk4) argnames(x0, par)

static void lv_rhs(const REAL *x, const LVParams *par, REAL *dx) {
  for (int i = 0; i < LV_N; i++) {
    REAL crowding = 0.0;
    for (int j = 0; j < LV_N; j++)
      crowding += par->a[i][j] * x[j];
    dx[i] = par->r[i] * x[i] * (1.0 - crowding);
  }
}

/* out = x + scale * dx */
static void axpy(const REAL *x, REAL scale, const REAL *dx, REAL *out) {
  for (int i = 0; i < LV_N; i++)
    out[i] = x[i] + scale * dx[i];
}

REAL lv_rk4(const REAL *x0, const LVParams *par, int steps, REAL h) {
  REAL x[LV_N], tmp[LV_N], k1[LV_N], k2[LV_N], k3[LV_N], k4[LV_N];
  for (int i = 0; i < LV_N; i++)
    x[i] = x0[i];
  for (int step = 0; step < steps; step++) {
    lv_rhs(x, par, k1);
    axpy(x, 0.5 * h, k1, tmp);
    lv_rhs(tmp, par, k2);
    axpy(x, 0.5 * h, k2, tmp);
    lv_rhs(tmp, par, k3);
    axpy(x, h, k3, tmp);
    lv_rhs(tmp, par, k4);
    for (int i = 0; i < LV_N; i++)
      x[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
  }
  REAL loss = 0.0;
  for (int i = 0; i < LV_N; i++)
    loss += 0.5 * x[i] * x[i];
  return loss;
}
