/* nondiff: `#pragma vgrad nondiff(g)` makes every call of g a constant
 * of the derivative (nothing flows back into its arguments), whether g
 * has no body anywhere vgradcc sees (rate: another file's, the driver's
 * here; rint: the C library's, declared in <math.h>) or has one in this
 * file (smooth_weight, which is then called, not differentiated).
 * Without the pragma the first two calls are refused (bad/call_external,
 * bad/call_library_float).  rate and rint are piecewise constant, so the
 * finite differences see them as constants at points away from their
 * steps; smooth_weight is smooth, so the driver holds its values at the
 * point checked (FROZEN), and a derivative that flowed through it would
 * differ.  FD f64/f32. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

#ifdef VG_DRIVER
/* At the point checked each value is recorded; while fd_check moves an
 * input the recorded ones come back in the same order. */
static int frozen_replay, frozen_count;
static REAL frozen_values[32];
static REAL frozen(REAL v) {
  if (frozen_count >= 32)
    return v; /* more calls than recorded: the count check fails */
  if (!frozen_replay)
    frozen_values[frozen_count] = v;
  return frozen_values[frozen_count++];
}
#define FROZEN(v) frozen(v)
#else
#define FROZEN(v) (v)
#endif

REAL rate(REAL t); /* a step schedule of another file */

REAL smooth_weight(REAL v) { return FROZEN(1 / (1 + v * v)); }

#pragma vgrad nondiff(rate)
#pragma vgrad nondiff(rint)
#pragma vgrad nondiff(smooth_weight)

REAL nondiff(const REAL *w, REAL b, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += smooth_weight(w[i] * b) * w[i] * w[i];
  REAL q = (REAL)rint(b * 4) / 4; /* b rounded to quarters */
  return s * rate(s + b) + q * b + smooth_weight(s) * s;
}
#pragma vgrad value_and_grad(nondiff) argnums(0, 1)

#ifdef VG_DRIVER
#include "nondiff.vg.h"
#include "fdcheck.h"

REAL rate(REAL t) { return (REAL)(0.5 + 0.25 * floor(2 * (double)t)); }

enum { N = 4 };
static REAL in_w[N] = {0.7, -0.45, 1.05, 0.3}, in_b = 0.55;

static REAL loss(void) {
  frozen_count = 0;
  return nondiff(in_w, in_b, N);
}

int main(void) {
  REAL d_w[N] = {0}, d_b = 0;
  frozen_replay = 0; /* the generated function's calls record */
  frozen_count = 0;
  REAL v = nondiff_value_and_grad(in_w, in_b, N, d_w, &d_b);
  int calls = frozen_count;
  frozen_replay = 1;
  fd_value("nondiff", v, loss());
  fd_checks++;
  if (calls != N + 1 || frozen_count != N + 1) {
    printf("MISMATCH calls: smooth_weight called %d times by the generated function, %d by the original, "
           "expected %d\n", calls, frozen_count, N + 1);
    fd_failures++;
  }
  fd_check_array("d_w", in_w, d_w, N, loss);
  fd_check("d_b", -1, &in_b, d_b, loss);
  return fd_report("nondiff");
}
#endif
