/* gather: reads through integer index arrays, x[perm[i]] and
 * &cams[obs[2 * i] * 3] (bundle adjustment's observations), with indices
 * that repeat, so the adjoint scatter-adds into the same elements. */
#ifndef REAL
#define REAL double
#endif

/* A "camera" of 3 parameters maps a point p to c[0] + c[1] p + c[2] p^2. */
static REAL project(const REAL *cam, REAL p) { return cam[0] + cam[1] * p + cam[2] * p * p; }

REAL gather(const REAL *x, const int *perm, int n, const REAL *cams, const REAL *pts,
            const int *obs, int nobs) {
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += x[perm[i]] * x[i];
  for (int i = 0; i < nobs; i++) {
    const REAL *cam = &cams[obs[2 * i] * 3];
    REAL r = project(cam, pts[obs[2 * i + 1]]) - 1;
    s += 0.5 * r * r;
  }
  return s;
}
#pragma vgrad value_and_grad(gather) argnames(x, cams, pts)

#ifdef VG_DRIVER
#include "gather.vg.h"
#include "fdcheck.h"

/* perm repeats 2 and never names 3; the observations (camera, point) use
 * camera 0 three times and point 1 twice. */
static const int perm[5] = {2, 0, 2, 4, 1};
static const int obs[8] = {0, 1, 1, 0, 0, 2, 0, 1};
static REAL in_x[5] = {0.5, -1.25, 0.75, 1.5, -0.4};
static REAL in_cams[6] = {0.2, 0.9, -0.3, -0.1, 1.1, 0.4};
static REAL in_pts[3] = {0.7, -0.6, 1.2};
static REAL loss(void) { return gather(in_x, perm, 5, in_cams, in_pts, obs, 4); }

int main(void) {
  REAL d_x[5] = {0}, d_cams[6] = {0}, d_pts[3] = {0};
  REAL v = gather_value_and_grad(in_x, perm, 5, in_cams, in_pts, obs, 4, d_x, d_cams, d_pts);
  fd_value("value", v, loss());
  fd_check_array("d_x", in_x, d_x, 5, loss);
  fd_check_array("d_cams", in_cams, d_cams, 6, loss);
  fd_check_array("d_pts", in_pts, d_pts, 3, loss);
  return fd_report("gather");
}
#endif
