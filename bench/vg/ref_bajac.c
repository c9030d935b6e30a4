/* vg/ref_bajac.c: BA's Jacobian as ADBench computes it with an AD tool: per
 * observation one reverse sweep for each of its two reprojection residuals
 * (the generated ref_ba_reproj_error_row0 and _row1: loss(err[0]),
 * loss(err[1])), writing a 2 x 15 block (11 camera, 3 point, 1 weight
 * columns), and one for its weight residual. The harness checks gradients,
 * so the Jacobian J is then contracted with the problem's fixed weights v
 * into J^T v, the gradient of the primal v . r (drivers/ref_bajac.c,
 * ref/problems.h). */
#include <string.h>

#include "ref_bajac.vg.h"
#include "../ref/problems.h"
#include "vg_bench.h"

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
  return ref_ba_jacobian_transpose_times(pb, grad);
}

/* The same Jacobian through the generated vjps (row vgradcc_vjp): per
 * observation a vjp of ref_ba_reproj_error with cotangent (1, 0), another
 * with (0, 1), and one of ref_ba_weight_error with 1. */
double vg_ref_bajac_vjp(void *ctx, double *grad) {
  RefBaProblem *pb = ctx;
  const BaInput *in = pb->in;
  static const double unit[2][2] = {{1, 0}, {0, 1}}, one = 1;
  for (int i = 0; i < in->p; i++) {
    const double *cam = &in->cams[11 * in->obs[2 * i]];
    const double *X = &in->X[3 * in->obs[2 * i + 1]];
    double *J = &pb->reproj_jac[30L * i];
    memset(J, 0, 30 * sizeof(double));
    for (int k = 0; k < 2; k++)
      ref_ba_reproj_error_vjp(cam, X, &in->w[i], &in->feats[2 * i], &pb->reproj_err[2 * i], unit[k], J + 15 * k,
                              J + 15 * k + 11, J + 15 * k + 14);
    pb->w_jac[i] = 0;
    ref_ba_weight_error_vjp(&in->w[i], &pb->w_err[i], &one, &pb->w_jac[i]);
  }
  return ref_ba_jacobian_transpose_times(pb, grad);
}

/* The same Jacobian through the generated jacobian (row vgradcc_jacobian):
 * per observation one call for its 2 x 15 block, both rows from one
 * forward sweep, and the weight residual's vjp. */
double vg_ref_bajac_jacobian(void *ctx, double *grad) {
  RefBaProblem *pb = ctx;
  const BaInput *in = pb->in;
  static const double one = 1;
  for (int i = 0; i < in->p; i++) {
    const double *cam = &in->cams[11 * in->obs[2 * i]];
    const double *X = &in->X[3 * in->obs[2 * i + 1]];
    ref_ba_reproj_error_jacobian(cam, X, &in->w[i], &in->feats[2 * i], &pb->reproj_err[2 * i],
                                 &pb->reproj_jac[30L * i]);
    pb->w_jac[i] = 0;
    ref_ba_weight_error_vjp(&in->w[i], &pb->w_err[i], &one, &pb->w_jac[i]);
  }
  return ref_ba_jacobian_transpose_times(pb, grad);
}
