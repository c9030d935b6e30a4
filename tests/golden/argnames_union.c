/* argnames_union: argnums and argnames together select the union of both
 * lists; a parameter named in both (a) is selected once. */
#ifndef REAL
#define REAL double
#endif

REAL argnames_union(REAL a, REAL b, REAL c) {
  return a * b * c + a / (1 + b * b) + c * c;
}
#pragma vgrad value_and_grad(argnames_union) argnums(0) argnames(c, a)

#ifdef VG_DRIVER
#include "argnames_union.vg.h"
#include "fdcheck.h"

static REAL in_a = 0.8, in_b = 1.3, in_c = -0.6;
static REAL loss(void) { return argnames_union(in_a, in_b, in_c); }

int main(void) {
  REAL d_a = 0, d_c = 0;
  REAL v = argnames_union_value_and_grad(in_a, in_b, in_c, &d_a, &d_c);
  fd_value("value", v, argnames_union(in_a, in_b, in_c));
  fd_check("d_a", -1, &in_a, d_a, loss);
  fd_check("d_c", -1, &in_c, d_c, loss);
  return fd_report("argnames_union");
}
#endif
