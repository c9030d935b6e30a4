/* loop_var_step: counted loops whose step is a variable, as llm.c steps
 * its tiled loop by `const int LOOP_UNROLL = 8`: `i += U` with U a const
 * int, `j -= k` with k an int changed after the loop (its old value is
 * what the reverse loop steps back by), and a checkpointed loop stepping
 * by k.  Each is a counted loop (no iteration count on the tape): the
 * reverse loop walks the counter back by the same step from where the
 * forward one stopped.  FD f64/f32. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

REAL loop_var_step(const REAL *x, REAL a, int n) {
  const int U = 3;
  REAL s = 0;
  for (int i = 0; i < n; i += U) {
    REAL acc[3] = {0, 0, 0};
    for (int u = 0; u < U && i + u < n; u++)
      acc[u] = sin(x[i + u] * a);
    for (int u = 0; u < U; u++)
      s += acc[u] * acc[u];
  }
  int k = 2;
  for (int j = n - 1; j >= 0; j -= k)
    s = s * 0.9 + x[j] * a * s;
  k = 3;
  for (int j = 1; j < n; j += k)
    s = s * 0.8 + sin(x[j] * s);
#pragma vgrad checkpoint
  for (int r = 0; r < 9; r += k)
    s = sin(s) + x[r % n] * a;
  return s;
}
#pragma vgrad value_and_grad(loop_var_step) argnums(0, 1)

#ifdef VG_DRIVER
#include "loop_var_step.vg.h"
#include "fdcheck.h"

enum { N = 7 };
static REAL in_x[N] = {0.3, -0.2, 0.5, 0.7, 0.1, -0.9, 0.4}, in_a = 0.6;

static REAL loss(void) { return loop_var_step(in_x, in_a, N); }

int main(void) {
  REAL d_x[N] = {0}, d_a = 0;
  REAL v = loop_var_step_value_and_grad(in_x, in_a, N, d_x, &d_a);
  fd_value("loop_var_step", v, loss());
  fd_check_array("d_x", in_x, d_x, N, loss);
  fd_check("d_a", -1, &in_a, d_a, loss);
  return fd_report("loop_var_step");
}
#endif
