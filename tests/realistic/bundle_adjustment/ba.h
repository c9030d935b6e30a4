#ifndef BA_H
#define BA_H
#include "camera.h"
REAL ba_objective(Camera *cams, REAL *points, const int *cam_of, const int *point_of, const REAL *observed,
                  int nobs, REAL scale);
#endif
