/* drivers/recurrence.c: 1,000,000 steps of x = x + h sin(p x). */
#include <stdlib.h>

#include "../hand/hand.h"
#include "../../samples/recurrence.h"
#include "common.h"

static double primal(void *ctx, double *grad) {
  (void)grad;
  const RecurrenceProblem *p = ctx;
  return recurrence(p->theta[0], p->theta[1], p->h, p->steps);
}

static double hand(void *ctx, double *grad) {
  const RecurrenceProblem *p = ctx;
  return recurrence_hand(p->theta[0], p->theta[1], p->h, p->steps, &grad[0], &grad[1]);
}

/* The hand adjoint stores the trajectory. */
static void hand_tape(void *ctx, long long *pushed, long long *peak) {
  const RecurrenceProblem *p = ctx;
  *pushed = *peak = (long long)p->steps * sizeof(double);
}

int main(int argc, char **argv) {
  Bench b;
  bench_init(&b, "recurrence", argc, argv);
  long steps = b.input ? atol(b.input) : 1000000;
  if (!b.input)
    b.size = "1e6_steps";
  RecurrenceProblem p;
  recurrence_problem_init(&p, steps);
  bench_problem(&b, p.theta, 2);
  bench_add(&b, "primal", primal, &p, 0);
  ADD_VGRADCC(&b, vg_recurrence, &p);
  ADD_ADOLC(&b, adolc_recurrence_tape, adolc_recurrence_reuse, &p, 4.0 * steps);
  bench_add(&b, "hand", hand, &p, 1)->tape = hand_tape;
  return bench_run(&b);
}
