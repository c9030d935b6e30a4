/* ba.c: the ADBench bundle-adjustment residuals, summed into one loss
 * (shared/adbench/README.md). Observation i sees camera obs[2i] and point
 * obs[2i+1]; the camera rotates the point about its centre (Rodrigues'
 * formula, first order for a tiny angle), divides by depth, applies the
 * radial distortion 1 + k1 r^2 + k2 r^4, scales by the focal length and adds
 * the principal point. Residuals: w_i (projection - feature_i) (two) and
 * 1 - w_i^2 (one); the loss is half the sum of their squares. vgradcc
 * differentiates it with respect to cams, X and w.
 *
 * Compile with -DREAL=float for a float32 version. */
#include "ba.h"

#include <math.h>

#pragma vgrad value_and_grad(ba_objective) argnames(cams, X, w) loss(err)

enum { CAM_ROT = 0, CAM_CENTRE = 3, CAM_FOCAL = 6, CAM_PRINCIPAL = 7, CAM_RADIAL = 9 };

static REAL dot3(const REAL *a, const REAL *b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static void cross3(const REAL *a, const REAL *b, REAL *out) {
  out[0] = a[1] * b[2] - a[2] * b[1];
  out[1] = a[2] * b[0] - a[0] * b[2];
  out[2] = a[0] * b[1] - a[1] * b[0];
}

/* Rotates v by the angle-axis vector rot (Rodrigues' formula). */
static void rodrigues_rotate(const REAL *rot, const REAL *v, REAL *out) {
  REAL theta2 = dot3(rot, rot);
  if (theta2 > 1e-16) {
    REAL theta = sqrt(theta2);
    REAL c = cos(theta), s = sin(theta);
    REAL axis[3] = {rot[0] / theta, rot[1] / theta, rot[2] / theta};
    REAL axv[3];
    cross3(axis, v, axv);
    REAL along = dot3(axis, v) * (1.0 - c);
    for (int i = 0; i < 3; i++)
      out[i] = v[i] * c + axv[i] * s + axis[i] * along;
  } else {
    /* First-order form for a tiny angle. */
    REAL rxv[3];
    cross3(rot, v, rxv);
    for (int i = 0; i < 3; i++)
      out[i] = v[i] + rxv[i];
  }
}

/* Projects point pt with camera cam into image coordinates proj[2]. */
static void project(const REAL *cam, const REAL *pt, REAL *proj) {
  REAL rel[3], xcam[3];
  for (int i = 0; i < 3; i++)
    rel[i] = pt[i] - cam[CAM_CENTRE + i];
  rodrigues_rotate(cam + CAM_ROT, rel, xcam);
  REAL u = xcam[0] / xcam[2], v = xcam[1] / xcam[2];
  REAL r2 = u * u + v * v;
  REAL distortion = 1.0 + cam[CAM_RADIAL] * r2 + cam[CAM_RADIAL + 1] * r2 * r2;
  proj[0] = cam[CAM_FOCAL] * u * distortion + cam[CAM_PRINCIPAL];
  proj[1] = cam[CAM_FOCAL] * v * distortion + cam[CAM_PRINCIPAL + 1];
}

void ba_objective(int n, int m, int p, const REAL *cams, const REAL *X, const REAL *w,
                  const int *obs, const REAL *feats, REAL *err) {
  (void)n;
  (void)m;
  REAL sum = 0.0;
  for (int i = 0; i < p; i++) {
    const REAL *cam = cams + BA_CAM_SIZE * obs[2 * i];
    const REAL *pt = X + 3 * obs[2 * i + 1];
    REAL proj[2];
    project(cam, pt, proj);
    REAL r0 = w[i] * (proj[0] - feats[2 * i]);
    REAL r1 = w[i] * (proj[1] - feats[2 * i + 1]);
    REAL rw = 1.0 - w[i] * w[i];
    sum += r0 * r0 + r1 * r1 + rw * rw;
  }
  *err = 0.5 * sum;
}
