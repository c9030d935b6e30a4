/* Bundle adjustment, as the BAL problems pose it: cameras and points
 * adjusted so that each observation's projection meets the measured image
 * point.  The residuals go into a buffer, two per observation, which a
 * robust (Cauchy) loss then sums; the camera model is in camera.c.
 *
 *   vgradcc ba.c camera.c          ba.vg.c: the gradient w.r.t. cameras and points
 *
 * check.c checks the value and every gradient entry against central finite
 * differences, float64 and float32 (tests/fdcheck.h's tolerances). */
#include <math.h>
#include <stdlib.h>

#include "ba.h"

REAL ba_objective(Camera *cams, REAL *points, const int *cam_of, const int *point_of, const REAL *observed,
                  int nobs, REAL scale) {
  REAL *residuals = malloc(2 * (size_t)nobs * sizeof(REAL));
  for (int o = 0; o < nobs; o++) {
    REAL *r = residuals + 2 * o;
    camera_project(&cams[cam_of[o]], points + 3 * point_of[o], r);
    r[0] -= observed[2 * o];
    r[1] -= observed[2 * o + 1];
  }
  REAL total = 0;
  for (int k = 0; k < 2 * nobs; k++) {
    REAL u = residuals[k] / scale;
    total += log1p(u * u);
  }
  free(residuals);
  return (REAL)0.5 * scale * scale * total;
}
#pragma vgrad value_and_grad(ba_objective) argnums(0, 1)
