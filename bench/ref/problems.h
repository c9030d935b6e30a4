/* ref/problems.h: the synthetic problems of the float benchmarks (matmul,
 * gpt2), shared by their drivers and vgradcc adapters. The harness's theta
 * (double) is the master copy; params (REAL) follows it (sync_params in the
 * drivers), and grad (REAL) is where a method's gradient lands before it is
 * added to the harness's double one. */
#ifndef REF_PROBLEMS_H
#define REF_PROBLEMS_H

#include "../load.h"
#include "real.h"

/* theta = inp (BT*C) | weight (OC*C) | bias (OC). */
typedef struct {
  int BT, C, OC;
  long ntheta;
  double *theta;
  REAL *params, *grad, *target;
} RefMatmulProblem;

/* theta = the GPT-2 parameters (ref/gpt2.h). */
typedef struct {
  int B, T, C, V, L, NH;
  long ntheta;
  double *theta;
  REAL *params, *grad;
  int *inputs, *targets;
} RefGpt2Problem;

/* BA (ref/ba.c): the input, the residual buffers, and for the Jacobian
 * its blocks and the weights v of the primal v . r. */
typedef struct {
  const BaInput *in;
  double *reproj_err, *w_err; /* 2p, p */
  double *reproj_jac, *w_jac; /* p blocks of 2 x 15 (cam 11, X 3, w 1), p */
  double *v;                  /* 3p: reprojection residuals, then weight residuals */
} RefBaProblem;

#endif
