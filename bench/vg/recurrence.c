/* vg/recurrence.c: calls recurrence_value_and_grad. */
#include "recurrence.vg.h"
#include "vg_bench.h"

double vg_recurrence(void *ctx, double *grad) {
  const RecurrenceProblem *p = ctx;
  return recurrence_value_and_grad(p->theta[0], p->theta[1], p->h, p->steps, &grad[0], &grad[1]);
}
