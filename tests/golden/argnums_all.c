/* argnums_all: argnums(all) selects every parameter with floating content
 * (x, v, z) and skips the int and the const char * ones.  z only steers a
 * comparison, so its gradient is 0. */
#ifndef REAL
#define REAL double
#endif

REAL argnums_all(int n, REAL x, const REAL *v, const char *mode, REAL z) {
  REAL s = x * v[0] + v[1] * v[n - 1];
  if (mode[0] == 's')
    s = s * s;
  if (z > 100)
    return 0;
  return s + x * x;
}
#pragma vgrad value_and_grad(argnums_all) argnums(all)

#ifdef VG_DRIVER
#include "argnums_all.vg.h"
#include "fdcheck.h"

static int in_n = 3;
static REAL in_x = 0.6, in_v[3] = {1.5, -0.5, 2.5}, in_z = 4.0;
static const char *in_mode = "square";
static REAL loss(void) { return argnums_all(in_n, in_x, in_v, in_mode, in_z); }

int main(void) {
  REAL d_x = 0, d_v[3] = {0}, d_z = 0;
  REAL v = argnums_all_value_and_grad(in_n, in_x, in_v, in_mode, in_z, &d_x, d_v, &d_z);
  fd_value("value", v, argnums_all(in_n, in_x, in_v, in_mode, in_z));
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check_array("d_v", in_v, d_v, 3, loss);
  fd_check("d_z", -1, &in_z, d_z, loss);
  fd_same("d_z", -1, d_z, 0);
  return fd_report("argnums_all");
}
#endif
