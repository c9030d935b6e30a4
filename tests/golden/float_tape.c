/* float_tape: a float goes on the tape as 4 bytes, a double as 8.  Each
 * step overwrites REALs (taped as REAL) and a double (taped as double) in
 * one straight run (one reservation for each stack); 3000 steps fill
 * several blocks of each stack, so the reverse sweep's ensures gather
 * across block boundaries.  The driver checks the tape's bytes exactly:
 * per step 2 REALs (x, y) and 4 doubles (drift, and the sines and cosines
 * the reverse sweep needs, doubles in C for float arguments too): 40 bytes
 * as float, 48 as double.  w's updates are not saved: the reverse sweep
 * reads w only at the end, w[1] * w[2], and tapes those two REALs there
 * once (ad/taped_reads.c: w[k] * 0.9 + ... and w[0] + ... need no old
 * value, so 2 reads against 51 writes). */
#ifndef REAL
#define REAL double
#endif
#include <math.h>

REAL float_tape(const REAL *p, int steps) {
  REAL x = p[0], y = p[1];
  double drift = 0.1;
  REAL w[3] = {0, 0, 0};
  for (int i = 0; i < steps; i++) {
    x = x * 0.99 + 0.01 * sin(y * p[2]);
    drift = drift * 0.999 + 0.001 * x * y;
    y = y * 0.98 + 0.02 * drift * cos(x);
    for (int k = 0; k < 3; k++)
      w[k] = w[k] * 0.9 + 0.1 * x * y * (k + 1);
  }
  return x * y + (REAL)drift + w[0] - w[1] * w[2];
}
#pragma vgrad value_and_grad(float_tape) argnums(0)

#ifdef VG_DRIVER
#include <vgrad.h>

#include "float_tape.vg.h"
#include "fdcheck.h"

static REAL in_p[3] = {0.3, -0.4, 0.7};
static int in_steps;
static REAL loss(void) { return float_tape(in_p, in_steps); }

int main(void) {
  const int lengths[] = {0, 1, 2, 7, 3000};
  for (int n = 0; n < 5; n++) {
    in_steps = lengths[n];
    REAL d_p[3] = {0, 0, 0};
    vg_memory_stats stats;
    vg_memory_stats_reset();
    REAL v = float_tape_value_and_grad(in_p, in_steps, d_p);
    vg_memory_stats_get(&stats);
    const double step_bytes = 2.0 * sizeof(REAL) + 4.0 * sizeof(double);
    const double bytes = step_bytes * in_steps + 2.0 * sizeof(REAL); /* w[1], w[2] at the end */
    fd_value("tape bytes pushed", (double)stats.tape_bytes_pushed, bytes);
    fd_value("tape peak", (double)stats.tape_peak_bytes, bytes);
    fd_value("value", v, loss());
    fd_check_array("d_p", in_p, d_p, 3, loss);
  }
  return fd_report("float_tape");
}
#endif
