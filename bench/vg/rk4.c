/* vg/rk4.c: calls lv_rk4_value_and_grad; the parameter gradient comes back
 * as an LVParams (design.md 1.3, struct row) and is added to the flat one. */
#include "rk4.vg.h"
#include "vg_bench.h"

double vg_rk4(void *ctx, double *grad) {
  const Rk4Problem *p = ctx;
  LVParams par, d_par = {{0}, {{0}}};
  for (int i = 0; i < LV_N; i++) {
    par.r[i] = p->theta[LV_N + i];
    for (int j = 0; j < LV_N; j++)
      par.a[i][j] = p->theta[2 * LV_N + i * LV_N + j];
  }
  double loss = lv_rk4_value_and_grad(p->theta, &par, p->steps, p->h, grad, &d_par);
  for (int i = 0; i < LV_N; i++) {
    grad[LV_N + i] += d_par.r[i];
    for (int j = 0; j < LV_N; j++)
      grad[2 * LV_N + i * LV_N + j] += d_par.a[i][j];
  }
  return loss;
}
