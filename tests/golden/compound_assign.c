/* compound_assign: every compound assignment on active floating
 * variables (+= -= *= /=), and the integer-only ones (%= <<= >>= &= |= ^=)
 * on an inactive int that then scales an active value. */
#ifndef REAL
#define REAL double
#endif

REAL compound_assign(REAL x, REAL y) {
  REAL s = x;
  s += y;
  s *= x;
  s -= 2 * y;
  s /= y + 3;
  s += s * x;
  s *= s;
  int k = 7;
  k %= 4;  /* 3 */
  k <<= 2; /* 12 */
  k >>= 1; /* 6 */
  k &= 5;  /* 4 */
  k |= 1;  /* 5 */
  k ^= 3;  /* 6 */
  s += k * y;
  s -= x / k;
  return s;
}
#pragma vgrad value_and_grad(compound_assign) argnums(0, 1)

#ifdef VG_DRIVER
#include "compound_assign.vg.h"
#include "fdcheck.h"

static REAL in_x = 0.8, in_y = 1.7;
static REAL loss(void) { return compound_assign(in_x, in_y); }

int main(void) {
  REAL d_x = 0, d_y = 0;
  REAL v = compound_assign_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("value", v, compound_assign(in_x, in_y));
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);
  return fd_report("compound_assign");
}
#endif
