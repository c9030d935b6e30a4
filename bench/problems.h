/* problems.h: the benchmark problems' data, shared by the drivers, the
 * vgradcc adapters, the ADOL-C versions and the hand-written adjoints.
 *
 * The synthetic problems (MLP, recurrence, RK4) are filled by closed-form
 * formulas that torch/common.py repeats, so both sides see the same numbers.
 * In each, theta holds the differentiated parameters in argnames order. */
#ifndef BENCH_PROBLEMS_H
#define BENCH_PROBLEMS_H

#include "load.h"

#ifdef __cplusplus
extern "C" {
#endif

/* MLP: theta = W1 (nhid*nin) | b1 (nhid) | W2 (nhid) | b2 (1). */
typedef struct {
  int nin, nhid, batch;
  long ntheta;
  double *theta;
  double *W1, *b1, *W2, *b2; /* views into theta */
  double *X, *y;             /* batch*nin inputs, batch targets */
} MlpProblem;

/* Recurrence: theta = x0 | p. */
typedef struct {
  double theta[2];
  double h;
  long steps;
} RecurrenceProblem;

/* RK4 on Lotka-Volterra: theta = x0 (4) | r (4) | a (4x4, row-major). */
typedef struct {
  double theta[24];
  double h;
  int steps;
} Rk4Problem;

void mlp_problem_init(MlpProblem *p, int nin, int nhid, int batch);
void mlp_problem_free(MlpProblem *p);
void recurrence_problem_init(RecurrenceProblem *p, long steps);
void rk4_problem_init(Rk4Problem *p, int steps);

#ifdef __cplusplus
}
#endif

#endif
