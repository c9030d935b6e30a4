/* vg/ref_bajac.c: BA's Jacobian as ADBench computes it with an AD tool: per
 * observation one reverse sweep for each of its two reprojection residuals
 * (the generated ref_ba_reproj_error_row0 and _row1: loss(err[0]),
 * loss(err[1])), writing a 2 x 15 block (11 camera, 3 point, 1 weight
 * columns), and one for its weight residual. The harness checks gradients,
 * so the Jacobian J is then contracted with the problem's fixed weights v
 * into J^T v, the gradient of the primal v . r (drivers/ref_bajac.c). */
#include <string.h>

#include "ref_bajac.vg.h"
#include "../ref/problems.h"
#include "vg_bench.h"

/* Adds J^T v to grad from the Jacobian blocks; returns v . r. */
static double jacobian_transpose_times(const RefBaProblem *pb, double *grad) {
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

double vg_ref_bajac(void *ctx, double *grad) {
  RefBaProblem *pb = ctx;
  const BaInput *in = pb->in;
  for (int i = 0; i < in->p; i++) {
    const double *cam = &in->cams[11 * in->obs[2 * i]];
    const double *X = &in->X[3 * in->obs[2 * i + 1]];
    double *J = &pb->reproj_jac[30L * i];
    memset(J, 0, 30 * sizeof(double));
    ref_ba_reproj_error_row0(cam, X, &in->w[i], &in->feats[2 * i], &pb->reproj_err[2 * i], J,
                             J + 11, J + 14);
    ref_ba_reproj_error_row1(cam, X, &in->w[i], &in->feats[2 * i], &pb->reproj_err[2 * i],
                             J + 15, J + 26, J + 29);
    pb->w_jac[i] = 0;
    ref_ba_weight_error_row(&in->w[i], &pb->w_err[i], &pb->w_jac[i]);
  }
  return jacobian_transpose_times(pb, grad);
}
