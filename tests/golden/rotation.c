/* rotation: cos and sin of the same angle, as in a rotation matrix.  The
 * derivative of each is the other, so inside the loop the forward sweep
 * keeps both values (computed together) for the reverse sweep instead of
 * calling sin and cos again there. */
#ifndef REAL
#define REAL double
#endif
#include <math.h>

REAL rotation(const REAL *angle, const REAL *xy, int n) {
  REAL s2 = 0;
  for (int i = 0; i < n; i++) {
    REAL c = cos(angle[i]), s = sin(angle[i]);
    REAL u = c * xy[2 * i] - s * xy[2 * i + 1];
    REAL v = s * xy[2 * i] + c * xy[2 * i + 1];
    s2 += u * u * v + sin(u);
  }
  return s2;
}
#pragma vgrad value_and_grad(rotation) argnums(0, 1)

#ifdef VG_DRIVER
#include "rotation.vg.h"
#include "fdcheck.h"

static REAL in_angle[3] = {0.3, -1.2, 2.5};
static REAL in_xy[6] = {0.5, -0.25, 1.5, 0.75, -0.6, 0.4};
static REAL loss(void) { return rotation(in_angle, in_xy, 3); }

int main(void) {
  REAL d_angle[3] = {0}, d_xy[6] = {0};
  REAL v = rotation_value_and_grad(in_angle, in_xy, 3, d_angle, d_xy);
  fd_value("value", v, loss());
  fd_check_array("d_angle", in_angle, d_angle, 3, loss);
  fd_check_array("d_xy", in_xy, d_xy, 6, loss);
  return fd_report("rotation");
}
#endif
