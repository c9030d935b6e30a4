/* unrelated: functions without a pragma may use anything (loops, writes
 * through pointers, calls, switch, goto); vgradcc leaves them alone and
 * differentiates only the annotated one. */
#include <stdio.h>

#ifndef REAL
#define REAL double
#endif

static int counter;

void fill(REAL *out, int n, REAL v) {
  for (int i = 0; i < n; i++)
    out[i] = v * i;
}

int classify(int k) {
  switch (k) {
  case 0:
    return 1;
  default:
    break;
  }
  if (k < 0)
    goto negative;
  return 2;
negative:
  counter++;
  printf("negative %d\n", k);
  return 3;
}

REAL unrelated(REAL x, REAL y) {
  return x * x - x * y + y;
}
#pragma vgrad value_and_grad(unrelated) argnums(0, 1)

#ifdef VG_DRIVER
#include "unrelated.vg.h"
#include "fdcheck.h"

static REAL in_x = 1.1, in_y = 0.2;
static REAL loss(void) { return unrelated(in_x, in_y); }

int main(void) {
  REAL buf[3];
  fill(buf, 3, 0.5);
  if (classify(0) != 1 || buf[2] != 1.0)
    return 1;
  REAL d_x = 0, d_y = 0;
  REAL v = unrelated_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("value", v, unrelated(in_x, in_y));
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);
  return fd_report("unrelated");
}
#endif
