/* ba.h: bundle adjustment as a scalar loss. */
#ifndef BA_H
#define BA_H

/* n cameras (11 numbers each: angle-axis rotation, centre, focal length,
 * principal point, k1 k2), m points (3), p observations with weights w (p),
 * obs (2p: camera index, point index) and features (2p). Writes to *err half
 * the sum of squared residuals, the weight residuals 1 - w^2 included. */
void ba_objective(int n, int m, int p, const double *cams, const double *X, const double *w,
                  const int *obs, const double *feats, double *err);

#endif
