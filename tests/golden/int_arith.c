/* int_arith: integer index arithmetic in code that carries no derivative:
 * %, shifts, size_t and long counters, idx++ inside loops, a loop bound of
 * type double (i < nd), and mixed int/double expressions (n * c,
 * (double)i) that scale active values. */
#include <stddef.h>

#ifndef REAL
#define REAL double
#endif

REAL int_arith(const REAL *x, int n, REAL c) {
  REAL s = 0;
  int idx = 0;
  for (size_t k = 0; k < (size_t)n; k++) {
    s += x[idx] * x[(k + 1) % n];
    idx++;
    if (idx == n)
      idx = 0;
  }
  long step = 1L << 2; /* 4 */
  for (long j = 0; j < 3 * step; j += step)
    s += x[(j >> 1) % n] * (REAL)j;
  double nd = n / 2.0; /* 3.5: i runs to 3 */
  int count = 0;
  for (int i = 0; i < nd; i++) {
    s += (double)i * x[i] * c;
    count++;
  }
  unsigned mask = (unsigned)n & 6u;
  s += x[mask % n] * (n * c) + count * c * c;
  return s;
}
#pragma vgrad value_and_grad(int_arith) argnums(0, 2)

#ifdef VG_DRIVER
#include "int_arith.vg.h"
#include "fdcheck.h"

static REAL in_x[7] = {0.5, -0.75, 1.25, 0.3, -1.1, 0.9, 0.2}, in_c = 0.6;
static REAL loss(void) { return int_arith(in_x, 7, in_c); }

int main(void) {
  REAL d_x[7] = {0}, d_c = 0;
  REAL v = int_arith_value_and_grad(in_x, 7, in_c, d_x, &d_c);
  fd_value("value", v, loss());
  fd_check_array("d_x", in_x, d_x, 7, loss);
  fd_check("d_c", -1, &in_c, d_c, loss);
  return fd_report("int_arith");
}
#endif
