// recurrence.cpp: the recurrence of objectives/recurrence.c with adouble.
#include "../problems.h"
#include "adolc_bench.h"
#include "adolc_tape.h"

namespace {

adouble recurrence_record(const void *ctx, const adouble *theta) {
  const RecurrenceProblem *p = static_cast<const RecurrenceProblem *>(ctx);
  const adouble &pp = theta[1];
  adouble x = theta[0];
  for (long i = 0; i < p->steps; i++)
    x = x + p->h * sin(pp * x);
  return x;
}

} // namespace

double adolc_recurrence_tape(void *ctx, double *grad) {
  RecurrenceProblem *p = static_cast<RecurrenceProblem *>(ctx);
  return adolc_record_and_reverse(p, recurrence_record, 2, p->theta, grad);
}

double adolc_recurrence_reuse(void *ctx, double *grad) {
  RecurrenceProblem *p = static_cast<RecurrenceProblem *>(ctx);
  return adolc_reverse_reused(2, p->theta, grad);
}
