/* drivers/rk4.c: 10,000 RK4 steps of a four-species Lotka-Volterra system. */
#include <stdlib.h>

#include "../../samples/rk4.h"
#include "common.h"

/* theta = x0 | r | a, unpacked into the objective's LVParams. */
static double primal(void *ctx, double *grad) {
  (void)grad;
  const Rk4Problem *p = ctx;
  LVParams par;
  for (int i = 0; i < LV_N; i++) {
    par.r[i] = p->theta[LV_N + i];
    for (int j = 0; j < LV_N; j++)
      par.a[i][j] = p->theta[2 * LV_N + i * LV_N + j];
  }
  return lv_rk4(p->theta, &par, p->steps, p->h);
}

int main(int argc, char **argv) {
  Bench b;
  bench_init(&b, "rk4", argc, argv);
  int steps = b.input ? atoi(b.input) : 10000;
  if (!b.input)
    b.size = "lv4_1e4_steps";
  Rk4Problem p;
  rk4_problem_init(&p, steps);
  bench_problem(&b, p.theta, 24);
  bench_add(&b, "primal", primal, &p, 0);
  ADD_VGRADCC(&b, vg_rk4, &p);
  ADD_ADOLC(&b, adolc_rk4_tape, adolc_rk4_reuse, &p, 260.0 * steps);
  return bench_run(&b);
}
