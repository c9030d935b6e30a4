/* helper_value_unused: a helper called for its effects, its returned value
 * unused (`accumulate(o, x[i]);`, as C code calls printf or a function
 * returning a status): inlined without a variable for the value, which
 * would be set and never read (a warning in the generated file, -Werror
 * here).  FD f64/f32. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

static REAL accumulate(REAL *o, REAL v) {
  o[0] += v * v;
  o[1] += sin(v);
  return log(v * v + 1);
}

REAL helper_value_unused(const REAL *x, int n) {
  REAL o[2] = {0, 0};
  for (int i = 0; i < n; i++)
    accumulate(o, x[i]);
  accumulate(o, o[1]);
  return o[0] * o[1];
}
#pragma vgrad value_and_grad(helper_value_unused)

#ifdef VG_DRIVER
#include "helper_value_unused.vg.h"
#include "fdcheck.h"

enum { N = 4 };
static REAL in_x[N] = {0.3, -0.6, 0.9, 0.2};

static REAL loss(void) { return helper_value_unused(in_x, N); }

int main(void) {
  REAL d_x[N] = {0};
  REAL v = helper_value_unused_value_and_grad(in_x, N, d_x);
  fd_value("helper_value_unused", v, loss());
  fd_check_array("d_x", in_x, d_x, N, loss);
  return fd_report("helper_value_unused");
}
#endif
