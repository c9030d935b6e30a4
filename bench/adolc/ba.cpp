// ba.cpp: the BA objective of objectives/ba.c with adouble.
#include <vector>

#include "../load.h"
#include "adolc_bench.h"
#include "adolc_tape.h"

namespace {

enum { CAM_ROT = 0, CAM_CENTRE = 3, CAM_FOCAL = 6, CAM_PRINCIPAL = 7, CAM_RADIAL = 9 };

adouble dot3(const adouble *a, const adouble *b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

void cross3(const adouble *a, const adouble *b, adouble *out) {
  out[0] = a[1] * b[2] - a[2] * b[1];
  out[1] = a[2] * b[0] - a[0] * b[2];
  out[2] = a[0] * b[1] - a[1] * b[0];
}

void rodrigues_rotate(const adouble *rot, const adouble *v, adouble *out) {
  adouble theta2 = dot3(rot, rot);
  if (theta2 > 1e-16) {
    adouble theta = sqrt(theta2);
    adouble c = cos(theta), s = sin(theta);
    adouble axis[3] = {rot[0] / theta, rot[1] / theta, rot[2] / theta};
    adouble axv[3];
    cross3(axis, v, axv);
    adouble along = dot3(axis, v) * (1.0 - c);
    for (int i = 0; i < 3; i++)
      out[i] = v[i] * c + axv[i] * s + axis[i] * along;
  } else {
    adouble rxv[3];
    cross3(rot, v, rxv);
    for (int i = 0; i < 3; i++)
      out[i] = v[i] + rxv[i];
  }
}

void project(const adouble *cam, const adouble *pt, adouble *proj) {
  adouble rel[3], xcam[3];
  for (int i = 0; i < 3; i++)
    rel[i] = pt[i] - cam[CAM_CENTRE + i];
  rodrigues_rotate(cam + CAM_ROT, rel, xcam);
  adouble u = xcam[0] / xcam[2], v = xcam[1] / xcam[2];
  adouble r2 = u * u + v * v;
  adouble distortion = 1.0 + cam[CAM_RADIAL] * r2 + cam[CAM_RADIAL + 1] * r2 * r2;
  proj[0] = cam[CAM_FOCAL] * u * distortion + cam[CAM_PRINCIPAL];
  proj[1] = cam[CAM_FOCAL] * v * distortion + cam[CAM_PRINCIPAL + 1];
}

adouble ba_record(const void *ctx, const adouble *theta) {
  const BaInput *in = static_cast<const BaInput *>(ctx);
  const adouble *cams = theta, *X = theta + 11L * in->n, *w = X + 3L * in->m;
  adouble sum = 0.0;
  for (int i = 0; i < in->p; i++) {
    const adouble *cam = cams + 11L * in->obs[2 * i];
    const adouble *pt = X + 3L * in->obs[2 * i + 1];
    adouble proj[2];
    project(cam, pt, proj);
    adouble r0 = w[i] * (proj[0] - in->feats[2 * i]);
    adouble r1 = w[i] * (proj[1] - in->feats[2 * i + 1]);
    adouble rw = 1.0 - w[i] * w[i];
    sum += r0 * r0 + r1 * r1 + rw * rw;
  }
  return 0.5 * sum;
}

} // namespace

double adolc_ba_tape(void *ctx, double *grad) {
  const BaInput *in = static_cast<const BaInput *>(ctx);
  return adolc_record_and_reverse(in, ba_record, in->ntheta, in->theta, grad);
}

double adolc_ba_reuse(void *ctx, double *grad) {
  const BaInput *in = static_cast<const BaInput *>(ctx);
  return adolc_reverse_reused(in->ntheta, in->theta, grad);
}
