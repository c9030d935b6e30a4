/* jvp_pingpong: forward mode with pointers that move between local arrays
 * (ping-pong buffers, swapped each step): each pointer's tangent follows
 * it assignment by assignment, into the tangent of the array it points at. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL jvp_pingpong(const REAL *x, int n) {
  REAL a[4] = {0}, b[4] = {0};
  REAL *cur = a, *nxt = b;
  for (int i = 0; i < 4; i++)
    a[i] = x[i % n];
  for (int k = 0; k < 3; k++) {
    for (int i = 0; i < 4; i++)
      nxt[i] = 0.5 * cur[i] + sin(cur[(i + 1) % 4]);
    REAL *t = cur;
    cur = nxt;
    nxt = t;
  }
  return cur[0] + cur[3] * nxt[1];
}
#pragma vgrad jvp(jvp_pingpong)

#ifdef VG_DRIVER
#include "jvp_pingpong.vg.h"
#include "fdcheck.h"

static REAL in_x[4] = {0.4, -0.8, 1.2, 0.3}, dir_x[4] = {0.9, 0.2, -0.5, 0.7};

static double along(REAL eps, int index) {
  (void)index;
  REAL x[4];
  for (int i = 0; i < 4; i++)
    x[i] = in_x[i] + eps * dir_x[i];
  return jvp_pingpong(x, 4);
}

int main(void) {
  REAL t_ret = -99;
  REAL v = jvp_pingpong_jvp(in_x, 4, dir_x, &t_ret);
  fd_value("value", v, jvp_pingpong(in_x, 4));
  fd_check_tangent("t_ret", -1, t_ret, along);
  return fd_report("jvp_pingpong");
}
#endif
