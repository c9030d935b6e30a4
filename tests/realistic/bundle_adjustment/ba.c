/* Bundle adjustment, as the BAL problems pose it: cameras and points
 * adjusted so that each observation's projection meets the measured image
 * point.  The residuals go into a buffer, two per observation, which a
 * robust (Cauchy) loss then sums; the camera model is in camera.c.
 *
 *   vgradcc ba.c camera.c          ba.vg.c: the gradient w.r.t. cameras and points
 *
 * The driver (VG_DRIVER) checks the value and every gradient entry against
 * central finite differences, float64 and float32 (tests/fdcheck.h's
 * tolerances). */
#include <math.h>
#include <stdlib.h>

#include "camera.h"

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

#ifdef VG_DRIVER
#include "ba.vg.h"
#include "fdcheck.h"

enum { NCAMS = 2, NPOINTS = 3, NOBS = 6 };
static Camera cams[NCAMS] = {
    {{0.10, -0.20, 0.05}, {0.3, -0.1, -4.0}, 1.2, 0.04, -0.01},
    {{-0.15, 0.05, 0.20}, {-0.2, 0.2, -5.0}, 0.9, -0.03, 0.02},
};
static REAL points[3 * NPOINTS] = {0.5, -0.4, 0.8, -0.6, 0.3, 0.2, 0.1, 0.7, -0.5};
static const int cam_of[NOBS] = {0, 0, 0, 1, 1, 1};
static const int point_of[NOBS] = {0, 1, 2, 0, 1, 2};
static const REAL observed[2 * NOBS] = {0.12, -0.05, -0.20, 0.08, 0.02, 0.15,
                                        -0.09, 0.11, 0.14, -0.02, 0.03, -0.16};

static REAL loss(void) { return ba_objective(cams, points, cam_of, point_of, observed, NOBS, (REAL)0.1); }

int main(void) {
  Camera d_cams[NCAMS] = {0};
  REAL d_points[3 * NPOINTS] = {0};
  REAL v = ba_objective_value_and_grad(cams, points, cam_of, point_of, observed, NOBS, (REAL)0.1, d_cams, d_points);
  fd_value("ba_objective", v, loss());
  for (int c = 0; c < NCAMS; c++) {
    fd_check_array("d_cams.rot", cams[c].rot, d_cams[c].rot, 3, loss);
    fd_check_array("d_cams.t", cams[c].t, d_cams[c].t, 3, loss);
    fd_check("d_cams.focal", c, &cams[c].focal, d_cams[c].focal, loss);
    fd_check("d_cams.k1", c, &cams[c].k1, d_cams[c].k1, loss);
    fd_check("d_cams.k2", c, &cams[c].k2, d_cams[c].k2, loss);
  }
  fd_check_array("d_points", points, d_points, 3 * NPOINTS, loss);
  return fd_report("bundle_adjustment");
}
#endif
