/* hand/ba.c: the BA Jacobian of ref/ba.c by hand, the floor of ref_bajac.
 * Per observation one forward pass keeps the intermediates of the
 * projection, and two reverse passes over them (cotangent (1, 0), then
 * (0, 1)) give the 2 x 15 block; the weight residual's derivative is -2 w. */
#include "hand.h"

#include <math.h>
#include <string.h>

/* The projection's intermediates (ref/ba.c: project). */
typedef struct {
  double Xo[3], w[3], theta, c, s, t, Xcam[3], p[2], rsq, L, d[2], proj[2];
  int rotated; /* the angle is not 0: Rodrigues' formula, else first order */
} Forward;

const long ref_ba_hand_forward_bytes = sizeof(Forward);

static void cross(const double *a, const double *b, double *out) {
  out[0] = a[1] * b[2] - a[2] * b[1];
  out[1] = a[2] * b[0] - a[0] * b[2];
  out[2] = a[0] * b[1] - a[1] * b[0];
}

static double dot(const double *a, const double *b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static void forward(const double *cam, const double *X, Forward *f) {
  for (int i = 0; i < 3; i++)
    f->Xo[i] = X[i] - cam[3 + i];
  const double *rot = cam;
  double sqtheta = dot(rot, rot);
  f->rotated = sqtheta != 0;
  if (f->rotated) {
    f->theta = sqrt(sqtheta);
    f->c = cos(f->theta);
    f->s = sin(f->theta);
    for (int i = 0; i < 3; i++)
      f->w[i] = rot[i] / f->theta;
    double wx[3];
    cross(f->w, f->Xo, wx);
    f->t = dot(f->w, f->Xo) * (1 - f->c);
    for (int i = 0; i < 3; i++)
      f->Xcam[i] = f->Xo[i] * f->c + wx[i] * f->s + f->w[i] * f->t;
  } else {
    double rx[3];
    cross(rot, f->Xo, rx);
    for (int i = 0; i < 3; i++)
      f->Xcam[i] = f->Xo[i] + rx[i];
  }
  f->p[0] = f->Xcam[0] / f->Xcam[2];
  f->p[1] = f->Xcam[1] / f->Xcam[2];
  f->rsq = f->p[0] * f->p[0] + f->p[1] * f->p[1];
  f->L = 1 + cam[9] * f->rsq + cam[10] * f->rsq * f->rsq;
  for (int i = 0; i < 2; i++) {
    f->d[i] = f->p[i] * f->L;
    f->proj[i] = f->d[i] * cam[6] + cam[7 + i];
  }
}

/* One row of the block: the gradient of e . err with respect to cam (11),
 * X (3) and w (1), into row[0..15). */
static void reverse(const double *cam, double w, const double *feat, const Forward *f,
                    const double *e, double *row) {
  double *d_cam = row, *d_X = row + 11;
  double d_proj[2] = {w * e[0], w * e[1]};
  row[14] = e[0] * (f->proj[0] - feat[0]) + e[1] * (f->proj[1] - feat[1]);
  d_cam[6] = d_proj[0] * f->d[0] + d_proj[1] * f->d[1];
  d_cam[7] = d_proj[0];
  d_cam[8] = d_proj[1];
  double d_d[2] = {d_proj[0] * cam[6], d_proj[1] * cam[6]};
  double d_p[2] = {d_d[0] * f->L, d_d[1] * f->L};
  double d_L = d_d[0] * f->p[0] + d_d[1] * f->p[1];
  d_cam[9] = d_L * f->rsq;
  d_cam[10] = d_L * f->rsq * f->rsq;
  double d_rsq = d_L * (cam[9] + 2 * cam[10] * f->rsq);
  d_p[0] += 2 * f->p[0] * d_rsq;
  d_p[1] += 2 * f->p[1] * d_rsq;
  double z = f->Xcam[2];
  double a[3] = {d_p[0] / z, d_p[1] / z, -(d_p[0] * f->p[0] + d_p[1] * f->p[1]) / z};
  double d_Xo[3], d_rot[3];
  if (f->rotated) {
    /* Xcam = Xo c + (w x Xo) s + w t,  t = (w . Xo)(1 - c) */
    double a_x_w[3], Xo_x_a[3], wx[3];
    cross(a, f->w, a_x_w);
    cross(f->Xo, a, Xo_x_a);
    cross(f->w, f->Xo, wx);
    double d_t = dot(a, f->w);
    double d_c = dot(a, f->Xo) - d_t * dot(f->w, f->Xo);
    double d_s = dot(a, wx);
    double d_w[3];
    for (int i = 0; i < 3; i++) {
      d_Xo[i] = a[i] * f->c + a_x_w[i] * f->s + d_t * (1 - f->c) * f->w[i];
      d_w[i] = Xo_x_a[i] * f->s + a[i] * f->t + d_t * (1 - f->c) * f->Xo[i];
    }
    /* c = cos theta, s = sin theta, w = rot / theta, theta = |rot| */
    double d_theta = -f->s * d_c + f->c * d_s - dot(d_w, cam) / (f->theta * f->theta);
    for (int i = 0; i < 3; i++)
      d_rot[i] = d_w[i] / f->theta + d_theta * cam[i] / f->theta;
  } else {
    /* Xcam = Xo + rot x Xo */
    double a_x_rot[3];
    cross(a, cam, a_x_rot);
    cross(f->Xo, a, d_rot);
    for (int i = 0; i < 3; i++)
      d_Xo[i] = a[i] + a_x_rot[i];
  }
  for (int i = 0; i < 3; i++) {
    d_cam[i] = d_rot[i];
    d_cam[3 + i] = -d_Xo[i];
    d_X[i] = d_Xo[i];
  }
}

void ref_ba_jacobian_hand(int p, const double *cams, const double *X, const double *w,
                          const int *obs, const double *feats, double *reproj_err,
                          double *w_err, double *reproj_jac, double *w_jac) {
  static const double e0[2] = {1, 0}, e1[2] = {0, 1};
  for (int i = 0; i < p; i++) {
    const double *cam = cams + 11 * obs[2 * i];
    const double *feat = feats + 2 * i;
    Forward f;
    forward(cam, X + 3 * obs[2 * i + 1], &f);
    reproj_err[2 * i] = w[i] * (f.proj[0] - feat[0]);
    reproj_err[2 * i + 1] = w[i] * (f.proj[1] - feat[1]);
    reverse(cam, w[i], feat, &f, e0, reproj_jac + 30L * i);
    reverse(cam, w[i], feat, &f, e1, reproj_jac + 30L * i + 15);
    w_err[i] = 1 - w[i] * w[i];
    w_jac[i] = -2 * w[i];
  }
}
