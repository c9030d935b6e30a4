/* pointer_table_partial: an array of pointers whose initializer gives
 * fewer entries than its length (`const REAL *rows[4] = {a, b, c}`, the
 * last one null, as code that fills a fixed table from a variable number
 * of inputs writes it), used only at the entries it was given: each use
 * is the pointer it holds (ad/pointer_tables.c).  A use of the null entry
 * is refused (bad/pointer_array_null_entry).  FD f64/f32. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

REAL pointer_table_partial(const REAL *a, const REAL *b, const REAL *c, int n) {
  const REAL *rows[4] = {a, b, c};
  const int used = 3;
  REAL s = 0;
  for (int r = 0; r < used; r++)
    for (int i = 0; i < n; i++)
      s += sin(rows[r][i]) * (REAL)(r + 1) * rows[(r + 1) % used][i];
  return s;
}
#pragma vgrad value_and_grad(pointer_table_partial) argnums(0, 1, 2)

#ifdef VG_DRIVER
#include "pointer_table_partial.vg.h"
#include "fdcheck.h"

enum { N = 4 };
static REAL in_a[N] = {0.3, -0.5, 0.8, 0.1}, in_b[N] = {0.6, 0.2, -0.4, 0.9}, in_c[N] = {-0.7, 0.4, 0.5, -0.2};

static REAL loss(void) { return pointer_table_partial(in_a, in_b, in_c, N); }

int main(void) {
  REAL d_a[N] = {0}, d_b[N] = {0}, d_c[N] = {0};
  REAL v = pointer_table_partial_value_and_grad(in_a, in_b, in_c, N, d_a, d_b, d_c);
  fd_value("pointer_table_partial", v, loss());
  fd_check_array("d_a", in_a, d_a, N, loss);
  fd_check_array("d_b", in_b, d_b, N, loss);
  fd_check_array("d_c", in_c, d_c, N, loss);
  return fd_report("pointer_table_partial");
}
#endif
