/* global_after_replay: a global counter written by an inlined helper after
 * a checkpointed loop that calls a function of another file.  The counter
 * is stored before and loaded after each such call, so the loop's replays
 * in the reverse sweep write it again; it must still hold afterwards what
 * the original leaves there (random seeds 40896 and 40954 left it at its
 * value on entry).  FD f64/f32. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

int calls;          /* counted by the helper */
void note(int k);   /* in another file (the driver here) */

static REAL counted(const REAL *v, int n) {
  calls++;
  return (REAL)0.2 * v[n - 1];
}

REAL replayed(const REAL *y, const REAL *x, int n) {
  REAL acc = 0;
  REAL c = tanh(x[n - 1]);
#pragma vgrad checkpoint snapshots(1)
  for (int s = 0; s < 2 * n; s++) {
    c = (REAL)0.7 * c + (REAL)0.3 * tanh(x[s % n]);
    note(s % n);
  }
  acc += (REAL)0.1 * tanh(c) + sin(c * y[1]);
  acc += (REAL)0.1 * tanh(counted(y, n));
  return acc + y[0];
}
#pragma vgrad value_and_grad(replayed) argnames(y, x)

#ifdef VG_DRIVER
#include "global_after_replay.vg.h"
#include "fdcheck.h"

static int notes;
void note(int k) { notes += k; }

static REAL in_y[3] = {0.4, -0.7, 0.9}, in_x[3] = {0.3, -0.2, 0.6};
static REAL loss(void) {
  calls = 0;
  return replayed(in_y, in_x, 3);
}

int main(void) {
  REAL d_y[3] = {0}, d_x[3] = {0};
  calls = 0;
  REAL v = replayed_value_and_grad(in_y, in_x, 3, d_y, d_x);
  int calls_after = calls;
  fd_value("replayed", v, loss());
  fd_exact("global calls", calls_after, calls);
  fd_check_array("d_y", in_y, d_y, 3, loss);
  fd_check_array("d_x", in_x, d_x, 3, loss);
  return fd_report("global_after_replay");
}
#endif
