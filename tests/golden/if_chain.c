/* if_chain: if / else if / else chains, an if without braces, a nested if,
 * and a local declared inside a branch; the driver visits every branch. */
#ifndef REAL
#define REAL double
#endif

REAL if_chain(REAL x, REAL y) {
  REAL r;
  if (x < -1) {
    r = x * y;
  } else if (x < 0) {
    r = x * x - y;
  } else if (x < 1) {
    REAL t = 1 + y * y;
    r = x / t;
    if (y > 0.5)
      r = r * y;
  } else {
    r = y / x;
  }
  if (y > 0)
    r = r * y;
  else
    r = r - y;
  return r + x;
}
#pragma vgrad value_and_grad(if_chain) argnums(0, 1)

#ifdef VG_DRIVER
#include "if_chain.vg.h"
#include "fdcheck.h"

static REAL in_x, in_y;
static REAL loss(void) { return if_chain(in_x, in_y); }

int main(void) {
  static const REAL points[][2] = {{-1.5, 0.7}, {-0.5, -0.3}, {0.5, 0.8}, {0.5, 0.2}, {1.5, -0.6}};
  for (int i = 0; i < 5; i++) {
    in_x = points[i][0];
    in_y = points[i][1];
    REAL d_x = 0, d_y = 0;
    REAL v = if_chain_value_and_grad(in_x, in_y, &d_x, &d_y);
    fd_value("value", v, if_chain(in_x, in_y));
    fd_check("d_x", i, &in_x, d_x, loss);
    fd_check("d_y", i, &in_y, d_y, loss);
  }
  return fd_report("if_chain");
}
#endif
