/* ba.h: bundle adjustment as a scalar loss (the ADBench BA residuals; their
 * definition is in ba.c).
 *
 * REAL is double unless the file is compiled with -DREAL=float. */
#ifndef BA_H
#define BA_H

#ifndef REAL
#define REAL double
#endif

/* Numbers per camera: angle-axis rotation (3), centre (3), focal length (1),
 * principal point (2), radial distortion k1 k2 (2). */
enum { BA_CAM_SIZE = 11 };

/* n cameras (11 numbers each), m points (3), p observations with weights w
 * (p), obs (2p: camera index, point index) and features (2p). Writes to *err
 * half the sum of squared residuals, the weight residuals 1 - w^2 included. */
void ba_objective(int n, int m, int p, const REAL *cams, const REAL *X, const REAL *w,
                  const int *obs, const REAL *feats, REAL *err);

#endif
