/* long_tape: a loop long enough that its tape spans many blocks, with
 * pushes reserved per straight run (of differing lengths, in both branches
 * of an if) and per counted loop, so that blocks are left with room to
 * spare and the reverse sweep's pops are gathered across block boundaries. */
#ifndef REAL
#define REAL double
#endif
#include <math.h>

REAL long_tape(const REAL *p, int steps) {
  REAL x = p[0], y = p[1], acc = 0;
  REAL w[3];
  for (int i = 0; i < steps; i++) {
    REAL a = sin(x) * p[2];
    REAL b = cos(y) + 0.1 * a;
    if (i % 3 == 0) {
      x = x + 0.01 * b;
      y = y - 0.02 * a * x;
    } else {
      x = x * 0.999 + 0.001 * y;
    }
    for (int k = 0; k < 3; k++)
      w[k] = exp(-0.1 * k * x) * y;
    acc += w[0] * w[1] - 0.5 * w[2] * a;
  }
  return acc + x * y;
}
#pragma vgrad value_and_grad(long_tape) argnums(0)

#ifdef VG_DRIVER
#include <vgrad.h>

#include "long_tape.vg.h"
#include "fdcheck.h"

static REAL in_p[3] = {0.3, -0.4, 0.7};
static int in_steps;
static REAL loss(void) { return long_tape(in_p, in_steps); }

int main(void) {
  const int lengths[] = {0, 1, 2, 5, 400};
  for (int n = 0; n < 5; n++) {
    in_steps = lengths[n];
    REAL d_p[3] = {0, 0, 0};
    vg_memory_stats stats;
    vg_memory_stats_reset();
    REAL v = long_tape_value_and_grad(in_p, in_steps, d_p);
    vg_memory_stats_get(&stats);
    if (in_steps == 400) /* beyond the first two blocks (8 KiB and 16 KiB) */
      fd_value("tape spans three blocks", (double)(stats.tape_peak_bytes > 24576), 1.0);
    fd_value("value", v, loss());
    fd_check_array("d_p", in_p, d_p, 3, loss);
  }
  return fd_report("long_tape");
}
#endif
