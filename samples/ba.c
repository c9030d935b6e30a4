/* ba.c: the ADBench bundle-adjustment residuals, summed into one loss. */
#include "ba.h"

#include <math.h>

#pragma vgrad value_and_grad(ba_objective) argnames(cams, X, w) loss(err)

enum { CAM_ROT = 0, CAM_CENTRE = 3, CAM_FOCAL = 6, CAM_PRINCIPAL = 7, CAM_RADIAL = 9 };

static double dot3(const double *a, const double *b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static void cross3(const double *a, const double *b, double *out) {
  out[0] = a[1] * b[2] - a[2] * b[1];
  out[1] = a[2] * b[0] - a[0] * b[2];
  out[2] = a[0] * b[1] - a[1] * b[0];
}

/* Rotates v by the angle-axis vector rot (Rodrigues' formula). */
static void rodrigues_rotate(const double *rot, const double *v, double *out) {
  double theta2 = dot3(rot, rot);
  if (theta2 > 1e-16) {
    double theta = sqrt(theta2);
    double c = cos(theta), s = sin(theta);
    double axis[3] = {rot[0] / theta, rot[1] / theta, rot[2] / theta};
    double axv[3];
    cross3(axis, v, axv);
    double along = dot3(axis, v) * (1.0 - c);
    for (int i = 0; i < 3; i++)
      out[i] = v[i] * c + axv[i] * s + axis[i] * along;
  } else {
    /* First-order form for a tiny angle. */
    double rxv[3];
    cross3(rot, v, rxv);
    for (int i = 0; i < 3; i++)
      out[i] = v[i] + rxv[i];
  }
}

/* Projects point pt with camera cam into image coordinates proj[2]. */
static void project(const double *cam, const double *pt, double *proj) {
  double rel[3], xcam[3];
  for (int i = 0; i < 3; i++)
    rel[i] = pt[i] - cam[CAM_CENTRE + i];
  rodrigues_rotate(cam + CAM_ROT, rel, xcam);
  double u = xcam[0] / xcam[2], v = xcam[1] / xcam[2];
  double r2 = u * u + v * v;
  double distortion = 1.0 + cam[CAM_RADIAL] * r2 + cam[CAM_RADIAL + 1] * r2 * r2;
  proj[0] = cam[CAM_FOCAL] * u * distortion + cam[CAM_PRINCIPAL];
  proj[1] = cam[CAM_FOCAL] * v * distortion + cam[CAM_PRINCIPAL + 1];
}

void ba_objective(int n, int m, int p, const double *cams, const double *X, const double *w,
                  const int *obs, const double *feats, double *err) {
  (void)n;
  (void)m;
  double sum = 0.0;
  for (int i = 0; i < p; i++) {
    const double *cam = cams + 11 * obs[2 * i];
    const double *pt = X + 3 * obs[2 * i + 1];
    double proj[2];
    project(cam, pt, proj);
    double r0 = w[i] * (proj[0] - feats[2 * i]);
    double r1 = w[i] * (proj[1] - feats[2 * i + 1]);
    double rw = 1.0 - w[i] * w[i];
    sum += r0 * r0 + r1 * r1 + rw * rw;
  }
  *err = 0.5 * sum;
}
