/* tests/realistic/bundle_adjustment: the camera model that ba.c's
 * objective calls, defined in camera.c (a second input of vgradcc). */
#ifndef CAMERA_H
#define CAMERA_H

#ifndef REAL
#define REAL double
#endif

/* A pinhole camera: rotation as an angle-axis vector, translation, focal
 * length and two radial distortion coefficients. */
typedef struct {
  REAL rot[3];
  REAL t[3];
  REAL focal, k1, k2;
} Camera;

/* The image point uv[0..1] of the world point X[0..2]. */
void camera_project(const Camera *cam, const REAL *X, REAL *uv);

#endif
