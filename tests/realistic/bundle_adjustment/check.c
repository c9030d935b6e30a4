/* Bundle adjustment (ba.c, camera.c): value and gradient against central
 * finite differences (tests/fdcheck.h). */
#include "ba.h"
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
