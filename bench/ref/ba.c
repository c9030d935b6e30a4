/* ref/ba.c: ADBench's bundle adjustment (shared/adbench/README.md) in the
 * shape of ADBench's C reference: one helper per stage writing through
 * output pointers (subtract, rodrigues_rotate_point, p2e, radial_distort),
 * the residuals of each observation written into its slot of a residual
 * buffer, and the weight residual into another.
 *
 * Differentiated twice over:
 * - the scalar loss 1/2 |r|^2 over the residual buffers (ref_ba_loss);
 * - the Jacobian as ADBench's AD tools compute it: one reverse sweep per
 *   residual of one observation with that residual's cotangent seeded to 1
 *   (loss(err[0]), loss(err[1])), and one for the weight residual; and the
 *   same through vjp, the cotangent (1, 0) or (0, 1) passed in. */
#include "ba.h"

#include <math.h>

#pragma vgrad value_and_grad(ref_ba_loss) argnames(cams, X, w) loss(loss)
#pragma vgrad value_and_grad(ref_ba_reproj_error) argnames(cam, X, w) loss(err[0]) name(ref_ba_reproj_error_row0)
#pragma vgrad value_and_grad(ref_ba_reproj_error) argnames(cam, X, w) loss(err[1]) name(ref_ba_reproj_error_row1)
#pragma vgrad value_and_grad(ref_ba_weight_error) argnames(w) loss(err) name(ref_ba_weight_error_row)
/* the same Jacobian through vjp: one generated function per residual kind,
 * a row per call with a unit cotangent (vg/ref_bajac.c, row vgradcc_vjp) */
#pragma vgrad vjp(ref_ba_reproj_error) argnames(cam, X, w) outputs(err) name(ref_ba_reproj_error_vjp)
#pragma vgrad vjp(ref_ba_weight_error) argnames(w) outputs(err) name(ref_ba_weight_error_vjp)
/* and through jacobian: both rows of an observation from one forward sweep
 * (the rows' reverse sweeps run together, ad/lanes.c; row vgradcc_jacobian) */
#pragma vgrad jacobian(ref_ba_reproj_error) argnames(cam[11], X[3], w[1]) outputs(err[2]) name(ref_ba_reproj_error_jacobian)

enum { BA_ROT_IDX = 0, BA_C_IDX = 3, BA_F_IDX = 6, BA_X0_IDX = 7, BA_RAD_IDX = 9 };

static double sqsum(int n, const double *x) {
  double res = 0;
  for (int i = 0; i < n; i++)
    res = res + x[i] * x[i];
  return res;
}

static void subtract(int d, const double *x, const double *y, double *out) {
  for (int id = 0; id < d; id++)
    out[id] = x[id] - y[id];
}

static void cross(const double *a, const double *b, double *out) {
  out[0] = a[1] * b[2] - a[2] * b[1];
  out[1] = a[2] * b[0] - a[0] * b[2];
  out[2] = a[0] * b[1] - a[1] * b[0];
}

static void rodrigues_rotate_point(const double *rot, const double *pt, double *rotatedPt) {
  double sqtheta = sqsum(3, rot);
  if (sqtheta != 0) {
    double theta = sqrt(sqtheta);
    double costheta = cos(theta);
    double sintheta = sin(theta);
    double theta_inverse = 1.0 / theta;
    double w[3];
    for (int i = 0; i < 3; i++)
      w[i] = rot[i] * theta_inverse;
    double w_cross_pt[3];
    cross(w, pt, w_cross_pt);
    double tmp = (w[0] * pt[0] + w[1] * pt[1] + w[2] * pt[2]) * (1. - costheta);
    for (int i = 0; i < 3; i++)
      rotatedPt[i] = pt[i] * costheta + w_cross_pt[i] * sintheta + w[i] * tmp;
  } else {
    double rot_cross_pt[3];
    cross(rot, pt, rot_cross_pt);
    for (int i = 0; i < 3; i++)
      rotatedPt[i] = pt[i] + rot_cross_pt[i];
  }
}

static void radial_distort(const double *rad_params, double *proj) {
  double rsq = sqsum(2, proj);
  double L = 1. + rad_params[0] * rsq + rad_params[1] * rsq * rsq;
  proj[0] = proj[0] * L;
  proj[1] = proj[1] * L;
}

static void p2e(const double *X, double *proj) {
  proj[0] = X[0] / X[2];
  proj[1] = X[1] / X[2];
}

static void project(const double *cam, const double *X, double *proj) {
  double Xo[3], Xcam[3];
  subtract(3, X, &cam[BA_C_IDX], Xo);
  rodrigues_rotate_point(&cam[BA_ROT_IDX], Xo, Xcam);
  p2e(Xcam, proj);
  radial_distort(&cam[BA_RAD_IDX], proj);
  proj[0] = proj[0] * cam[BA_F_IDX] + cam[BA_X0_IDX + 0];
  proj[1] = proj[1] * cam[BA_F_IDX] + cam[BA_X0_IDX + 1];
}

void ref_ba_reproj_error(const double *cam, const double *X, const double *w,
                         const double *feat, double *err) {
  double proj[2];
  project(cam, X, proj);
  err[0] = (*w) * (proj[0] - feat[0]);
  err[1] = (*w) * (proj[1] - feat[1]);
}

void ref_ba_weight_error(const double *w, double *err) {
  *err = 1 - (*w) * (*w);
}

void ref_ba_objective(int n, int m, int p, const double *cams, const double *X, const double *w,
                      const int *obs, const double *feats, double *reproj_err, double *w_err) {
  (void)n;
  (void)m;
  for (int i = 0; i < p; i++) {
    int camIdx = obs[i * 2 + 0];
    int ptIdx = obs[i * 2 + 1];
    ref_ba_reproj_error(&cams[camIdx * REF_BA_NCAMPARAMS], &X[ptIdx * 3], &w[i], &feats[i * 2],
                        &reproj_err[2 * i]);
  }
  for (int i = 0; i < p; i++)
    ref_ba_weight_error(&w[i], &w_err[i]);
}

void ref_ba_loss(int n, int m, int p, const double *cams, const double *X, const double *w,
                 const int *obs, const double *feats, double reproj_err[2 * p], double w_err[p],
                 double *loss) {
  ref_ba_objective(n, m, p, cams, X, w, obs, feats, reproj_err, w_err);
  double sum = 0;
  for (int i = 0; i < 2 * p; i++)
    sum += reproj_err[i] * reproj_err[i];
  for (int i = 0; i < p; i++)
    sum += w_err[i] * w_err[i];
  *loss = 0.5 * sum;
}
