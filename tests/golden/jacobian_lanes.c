/* jacobian_lanes: a reverse-mode Jacobian with a constant number of rows
 * (2 to 8) runs one forward sweep and one reverse sweep for all the rows
 * (ad/lanes.c): the vjp it calls takes a cotangent and a gradient block per
 * row, and repeats every adjoint statement once per row.
 *
 * camera: ADBench's reprojection in miniature (helpers writing through
 * output pointers, a rotation with a branch, a loop that tapes, a heap
 * buffer, a pointer walking an array), residuals err[2] and the return
 * value: three rows.  ring: a loop whose pointer is chosen anew in each
 * iteration (its adjoint goes on the tape with it), which one vjp for all
 * rows cannot take: a vjp per row, as before.  Every entry is checked
 * against central differences, float64 and float32. */
#include <math.h>
#include <stdlib.h>
#ifndef REAL
#define REAL double
#endif

static void rotate(const REAL *r, const REAL *x, REAL *out) {
  REAL t2 = r[0] * r[0] + r[1] * r[1];
  if (t2 > 1e-8) {
    REAL t = sqrt(t2), c = cos(t), s = sin(t);
    out[0] = c * x[0] - s * x[1] * r[0] / t;
    out[1] = s * x[0] * r[1] / t + c * x[1];
  } else {
    out[0] = x[0] - r[1] * x[1];
    out[1] = x[1] + r[0] * x[0];
  }
  out[2] = x[2] + 0.1 * (r[0] - r[1]);
}

REAL camera(const REAL *cam, const REAL *X, REAL w, REAL *err) {
  REAL *p = malloc(3 * sizeof(REAL));
  rotate(cam, X, p);
  REAL depth = 2.0 + p[2] * p[2];
  REAL k = 0;
  for (int i = 0; i < 3; i++)
    k = k * cam[2] + p[i] / depth;
  const REAL *q = p;
  for (int i = 0; i < 2; i++, q++)
    err[i] = w * (*q / depth + k * cam[3 + i]);
  free(p);
  return w * w * k;
}
#pragma vgrad jacobian(camera) argnames(cam[5], X[3], w) outputs(err[2], return)

REAL ring(const REAL *a, const REAL *b, int n, REAL *out) {
  REAL s = 0;
  for (int i = 0; i < n; i++) {
    const REAL *p = i % 2 ? a : b;
    s = s * 0.5 + p[i] * p[i];
  }
  out[0] = s;
  out[1] = sin(s);
  return 0;
}
#pragma vgrad jacobian(ring) argnames(a[4], b[4]) outputs(out[2]) mode(rev)

#ifdef VG_DRIVER
#include "jacobian_lanes.vg.h"
#include "fdcheck.h"

static REAL in_cam[5] = {0.3, -0.2, 0.7, 0.4, -0.6}, in_X[3] = {0.5, -1.1, 0.8}, in_w = 1.3;
static REAL in_a[4] = {0.2, -0.5, 0.9, 0.4}, in_b[4] = {-0.3, 0.6, 0.1, 0.8};
static int row;

static REAL camera_row(void) {
  REAL err[2];
  REAL r = camera(in_cam, in_X, in_w, err);
  return row < 2 ? err[row] : r;
}

static REAL ring_row(void) {
  REAL out[2];
  ring(in_a, in_b, 4, out);
  return out[row];
}

int main(void) {
  double jac[3 * 9];
  REAL err[2];
  REAL v = camera_jacobian(in_cam, in_X, in_w, err, jac);
  REAL want[2];
  fd_value("camera", v, camera(in_cam, in_X, in_w, want));
  fd_value("err[0]", err[0], want[0]);
  fd_value("err[1]", err[1], want[1]);
  for (row = 0; row < 3; row++) {
    for (int c = 0; c < 5; c++)
      fd_check("d cam", row * 9 + c, &in_cam[c], jac[row * 9 + c], camera_row);
    for (int c = 0; c < 3; c++)
      fd_check("d X", row * 9 + 5 + c, &in_X[c], jac[row * 9 + 5 + c], camera_row);
    fd_check("d w", row * 9 + 8, &in_w, jac[row * 9 + 8], camera_row);
  }
  double rjac[2 * 8];
  REAL out[2];
  ring_jacobian(in_a, in_b, 4, out, rjac);
  for (row = 0; row < 2; row++)
    for (int c = 0; c < 4; c++) {
      fd_check("d a", row * 8 + c, &in_a[c], rjac[row * 8 + c], ring_row);
      fd_check("d b", row * 8 + 4 + c, &in_b[c], rjac[row * 8 + 4 + c], ring_row);
    }
  return fd_report("jacobian_lanes");
}
#endif
