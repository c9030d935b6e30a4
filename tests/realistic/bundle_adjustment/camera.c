/* The camera model of ba.c's bundle adjustment: `vgradcc ba.c camera.c`
 * differentiates through it. */
#include <math.h>

#include "camera.h"

/* out = R(aa) X, by Rodrigues' formula; to first order near aa = 0. */
static void rotate(const REAL *aa, const REAL *X, REAL *out) {
  REAL theta2 = aa[0] * aa[0] + aa[1] * aa[1] + aa[2] * aa[2];
  REAL cross[3];
  cross[0] = aa[1] * X[2] - aa[2] * X[1];
  cross[1] = aa[2] * X[0] - aa[0] * X[2];
  cross[2] = aa[0] * X[1] - aa[1] * X[0];
  if (theta2 > (REAL)1e-12) {
    REAL theta = sqrt(theta2);
    REAL c = cos(theta), s = sin(theta) / theta;
    REAL along = (aa[0] * X[0] + aa[1] * X[1] + aa[2] * X[2]) * (1 - c) / theta2;
    for (int i = 0; i < 3; i++)
      out[i] = X[i] * c + cross[i] * s + aa[i] * along;
  } else {
    for (int i = 0; i < 3; i++)
      out[i] = X[i] + cross[i];
  }
}

void camera_project(const Camera *cam, const REAL *X, REAL *uv) {
  REAL P[3];
  rotate(cam->rot, X, P);
  for (int i = 0; i < 3; i++)
    P[i] += cam->t[i];
  REAL xp = -P[0] / P[2], yp = -P[1] / P[2];
  REAL r2 = xp * xp + yp * yp;
  REAL distortion = 1 + r2 * (cam->k1 + cam->k2 * r2);
  uv[0] = cam->focal * distortion * xp;
  uv[1] = cam->focal * distortion * yp;
}
