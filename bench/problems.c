/* problems.c: synthetic inputs (mirrored in torch/common.py). */
#include "problems.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

void mlp_problem_init(MlpProblem *p, int nin, int nhid, int batch) {
  memset(p, 0, sizeof *p);
  p->nin = nin;
  p->nhid = nhid;
  p->batch = batch;
  p->ntheta = (long)nhid * nin + 2L * nhid + 1;
  p->theta = bench_alloc(p->ntheta, sizeof(double));
  p->W1 = p->theta;
  p->b1 = p->W1 + (long)nhid * nin;
  p->W2 = p->b1 + nhid;
  p->b2 = p->W2 + nhid;
  p->X = bench_alloc((long)batch * nin, sizeof(double));
  p->y = bench_alloc(batch, sizeof(double));
  for (long i = 0; i < (long)nhid * nin; i++)
    p->W1[i] = 0.125 * sin(0.71 * i + 0.3);
  for (int j = 0; j < nhid; j++) {
    p->b1[j] = 0.1 * cos(0.19 * j);
    p->W2[j] = 0.09 * sin(1.3 * j + 0.2);
  }
  *p->b2 = 0.05;
  for (long i = 0; i < (long)batch * nin; i++)
    p->X[i] = sin(0.37 * i + 0.1);
  for (int s = 0; s < batch; s++)
    p->y[s] = cos(0.53 * s);
}

void mlp_problem_free(MlpProblem *p) {
  free(p->theta);
  free(p->X);
  free(p->y);
}

void recurrence_problem_init(RecurrenceProblem *p, long steps) {
  p->theta[0] = 0.5; /* x0 */
  p->theta[1] = 1.3; /* p */
  p->h = 2e-6;
  p->steps = steps;
}

/* A chaotic four-species competition system (Vano et al., Nonlinearity 2006). */
void rk4_problem_init(Rk4Problem *p, int steps) {
  static const double x0[4] = {0.3, 0.4, 0.3, 0.2};
  static const double r[4] = {1.0, 0.72, 1.53, 1.27};
  static const double a[16] = {1.0,  1.09, 1.52, 0.0,  0.0,  1.0,  0.44, 1.36,
                               2.33, 0.0,  1.0,  0.47, 1.21, 0.51, 0.35, 1.0};
  memcpy(p->theta, x0, sizeof x0);
  memcpy(p->theta + 4, r, sizeof r);
  memcpy(p->theta + 8, a, sizeof a);
  p->h = 0.01;
  p->steps = steps;
}
