// rk4.cpp: the RK4 integration of objectives/rk4.c with adouble.
#include "../problems.h"
#include "adolc_bench.h"
#include "adolc_tape.h"

namespace {

const int N = 4;

void lv_rhs(const adouble *x, const adouble *r, const adouble *a, adouble *dx) {
  for (int i = 0; i < N; i++) {
    adouble crowding = 0.0;
    for (int j = 0; j < N; j++)
      crowding += a[i * N + j] * x[j];
    dx[i] = r[i] * x[i] * (1.0 - crowding);
  }
}

void axpy(const adouble *x, double scale, const adouble *dx, adouble *out) {
  for (int i = 0; i < N; i++)
    out[i] = x[i] + scale * dx[i];
}

adouble rk4_record(const void *ctx, const adouble *theta) {
  const Rk4Problem *p = static_cast<const Rk4Problem *>(ctx);
  const adouble *r = theta + N, *a = theta + 2 * N;
  double h = p->h;
  adouble x[N], tmp[N], k1[N], k2[N], k3[N], k4[N];
  for (int i = 0; i < N; i++)
    x[i] = theta[i];
  for (int step = 0; step < p->steps; step++) {
    lv_rhs(x, r, a, k1);
    axpy(x, 0.5 * h, k1, tmp);
    lv_rhs(tmp, r, a, k2);
    axpy(x, 0.5 * h, k2, tmp);
    lv_rhs(tmp, r, a, k3);
    axpy(x, h, k3, tmp);
    lv_rhs(tmp, r, a, k4);
    for (int i = 0; i < N; i++)
      x[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
  }
  adouble loss = 0.0;
  for (int i = 0; i < N; i++)
    loss += 0.5 * x[i] * x[i];
  return loss;
}

} // namespace

double adolc_rk4_tape(void *ctx, double *grad) {
  Rk4Problem *p = static_cast<Rk4Problem *>(ctx);
  return adolc_record_and_reverse(p, rk4_record, 24, p->theta, grad);
}

double adolc_rk4_reuse(void *ctx, double *grad) {
  Rk4Problem *p = static_cast<Rk4Problem *>(ctx);
  return adolc_reverse_reused(24, p->theta, grad);
}
