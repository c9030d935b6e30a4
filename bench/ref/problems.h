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

/* Adds J^T v to grad from the Jacobian blocks; returns v . r. Used after
 * each Jacobian method of ref_bajac (vgradcc's and the hand-written). */
static inline double ref_ba_jacobian_transpose_times(const RefBaProblem *pb, double *grad) {
  const BaInput *in = pb->in;
  double *d_cams = grad, *d_X = d_cams + 11L * in->n, *d_w = d_X + 3L * in->m;
  double value = 0.0;
  for (int i = 0; i < in->p; i++) {
    double v0 = pb->v[2 * i], v1 = pb->v[2 * i + 1], vw = pb->v[2L * in->p + i];
    const double *J = &pb->reproj_jac[30L * i];
    double *dc = d_cams + 11L * in->obs[2 * i], *dx = d_X + 3L * in->obs[2 * i + 1];
    for (int j = 0; j < 11; j++)
      dc[j] += v0 * J[j] + v1 * J[15 + j];
    for (int j = 0; j < 3; j++)
      dx[j] += v0 * J[11 + j] + v1 * J[26 + j];
    d_w[i] += v0 * J[14] + v1 * J[29] + vw * pb->w_jac[i];
    value += v0 * pb->reproj_err[2 * i] + v1 * pb->reproj_err[2 * i + 1] + vw * pb->w_err[i];
  }
  return value;
}

#endif
