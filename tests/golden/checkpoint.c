/* checkpoint: `#pragma vgrad checkpoint snapshots(3)` before a loop: the
 * gradient is computed by replaying steps from three snapshots (binomial
 * schedule) instead of taping the loop, and must equal the taped gradient
 * of the same loop.  Without snapshots(N) the run time chooses segments of
 * about sqrt(n) steps, each taped whole when reversed (200 steps: 14
 * segments of 15 and a last of 5); that too must equal the taped gradient. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL orbit(REAL x0, const REAL *c, REAL h, int steps) {
  REAL x = x0, v = 0;
  REAL trail[2] = {0, 0};
#pragma vgrad checkpoint snapshots(3)
  for (int i = 0; i < steps; i++) {
    REAL a = -c[0] * sin(x) - c[1] * v;
    v = v + h * a;
    x = x + h * v;
    trail[i % 2] = x * v;
  }
  return x * x + v + trail[0] - trail[1];
}
#pragma vgrad value_and_grad(orbit) argnums(0, 1)

REAL orbit_segments(REAL x0, const REAL *c, REAL h, int steps) {
  REAL x = x0, v = 0;
  REAL trail[2] = {0, 0};
#pragma vgrad checkpoint
  for (int i = 0; i < steps; i++) {
    REAL a = -c[0] * sin(x) - c[1] * v;
    v = v + h * a;
    x = x + h * v;
    trail[i % 2] = x * v;
  }
  return x * x + v + trail[0] - trail[1];
}
#pragma vgrad value_and_grad(orbit_segments) argnums(0, 1)

/* Counting down by 3 to an inclusive bound, and a bound the loop changes
 * (its number of steps is known only at the end: the schedule is then set
 * up by the reverse sweep); each against its taped twin. */
REAL down(REAL x0, const REAL *c, int steps) {
  REAL x = x0;
#pragma vgrad checkpoint
  for (int i = 3 * steps; i >= 1; i -= 3)
    x = x + 0.01 * sin(c[0] * x + 0.001 * c[1] * i);
  return x;
}
#pragma vgrad value_and_grad(down) argnums(0, 1)

REAL down_taped(REAL x0, const REAL *c, int steps) {
  REAL x = x0;
  for (int i = 3 * steps; i >= 1; i -= 3)
    x = x + 0.01 * sin(c[0] * x + 0.001 * c[1] * i);
  return x;
}
#pragma vgrad value_and_grad(down_taped) argnums(0, 1)

REAL shrinking(REAL x0, const REAL *c, int steps) {
  REAL x = x0;
  int m = steps;
#pragma vgrad checkpoint snapshots(2)
  for (int i = 0; i < m; i++) {
    x = x + 0.01 * sin(c[0] * x);
    if (i == 4)
      m = m - 1;
  }
  return x * c[1];
}
#pragma vgrad value_and_grad(shrinking) argnums(0, 1)

REAL shrinking_taped(REAL x0, const REAL *c, int steps) {
  REAL x = x0;
  int m = steps;
  for (int i = 0; i < m; i++) {
    x = x + 0.01 * sin(c[0] * x);
    if (i == 4)
      m = m - 1;
  }
  return x * c[1];
}
#pragma vgrad value_and_grad(shrinking_taped) argnums(0, 1)

REAL orbit_taped(REAL x0, const REAL *c, REAL h, int steps) {
  REAL x = x0, v = 0;
  REAL trail[2] = {0, 0};
  for (int i = 0; i < steps; i++) {
    REAL a = -c[0] * sin(x) - c[1] * v;
    v = v + h * a;
    x = x + h * v;
    trail[i % 2] = x * v;
  }
  return x * x + v + trail[0] - trail[1];
}
#pragma vgrad value_and_grad(orbit_taped) argnums(0, 1)

#ifdef VG_DRIVER
#include <vgrad.h>

#include "checkpoint.vg.h"
#include "fdcheck.h"

static REAL in_x0 = 0.7, in_c[2] = {1.3, 0.1};
static int in_steps = 200;
static REAL loss(void) { return orbit(in_x0, in_c, (REAL)0.05, in_steps); }
static REAL loss_down(void) { return down(in_x0, in_c, in_steps); }
static REAL loss_shrinking(void) { return shrinking(in_x0, in_c, in_steps); }

int main(void) {
  const int lengths[] = {0, 1, 2, 7, 200};
  for (int k = 0; k < 5; k++) {
    in_steps = lengths[k];
    REAL d_x0 = 0, d_c[2] = {0, 0}, t_x0 = 0, t_c[2] = {0, 0};
    vg_memory_stats ckpt, taped;
    vg_memory_stats_reset();
    REAL v = orbit_value_and_grad(in_x0, in_c, (REAL)0.05, in_steps, &d_x0, d_c);
    vg_memory_stats_get(&ckpt);
    vg_memory_stats_reset();
    REAL vt = orbit_taped_value_and_grad(in_x0, in_c, (REAL)0.05, in_steps, &t_x0, t_c);
    vg_memory_stats_get(&taped);
    /* taped: sin(x), cos(x), v and x per step, all held at the end of the
     * forward sweep; checkpointed (snapshots given: one step reversed at a
     * time): sin(x), cos(x), a, v, x and trail[i % 2] of that step.  sin
     * and cos are doubles (8 bytes), the others REALs (4 bytes as float). */
    const double taped_step = 16.0 + 2.0 * sizeof(REAL), ckpt_step = 16.0 + 4.0 * sizeof(REAL);
    fd_value("taped tape bytes pushed", (double)taped.tape_bytes_pushed, taped_step * in_steps);
    fd_value("taped tape peak", (double)taped.tape_peak_bytes, taped_step * in_steps);
    fd_value("checkpointed tape peak", (double)ckpt.tape_peak_bytes, in_steps ? ckpt_step : 0.0);
    fd_value("checkpointed tape bytes pushed", (double)ckpt.tape_bytes_pushed, ckpt_step * in_steps);
    fd_value("value", v, loss());
    fd_value("value (taped)", vt, loss());
    /* the same operations in the same order: equal up to rounding */
    fd_value("d_x0 = taped d_x0", d_x0, t_x0);
    fd_value("d_c[0] = taped d_c[0]", d_c[0], t_c[0]);
    fd_value("d_c[1] = taped d_c[1]", d_c[1], t_c[1]);
    REAL g_x0 = 0, g_c[2] = {0, 0};
    vg_memory_stats segments;
    vg_memory_stats_reset();
    REAL vs = orbit_segments_value_and_grad(in_x0, in_c, (REAL)0.05, in_steps, &g_x0, g_c);
    vg_memory_stats_get(&segments);
    /* a segment of at most 15 steps taped at a time */
    fd_value("segments: tape peak <= 15 steps", (double)(segments.tape_peak_bytes <= ckpt_step * 15), 1.0);
    fd_value("segments: tape bytes pushed", (double)segments.tape_bytes_pushed, ckpt_step * in_steps);
    fd_value("value (segments)", vs, loss());
    fd_value("segments: d_x0 = taped d_x0", g_x0, t_x0);
    fd_value("segments: d_c[0] = taped d_c[0]", g_c[0], t_c[0]);
    fd_value("segments: d_c[1] = taped d_c[1]", g_c[1], t_c[1]);
    REAL dn_x0 = 0, dn_c[2] = {0, 0}, dt_x0 = 0, dt_c[2] = {0, 0};
    fd_value("down: value", down_value_and_grad(in_x0, in_c, in_steps, &dn_x0, dn_c), down(in_x0, in_c, in_steps));
    down_taped_value_and_grad(in_x0, in_c, in_steps, &dt_x0, dt_c);
    fd_value("down: d_x0 = taped d_x0", dn_x0, dt_x0);
    fd_value("down: d_c[0] = taped d_c[0]", dn_c[0], dt_c[0]);
    fd_value("down: d_c[1] = taped d_c[1]", dn_c[1], dt_c[1]);
    REAL ds_x0 = 0, ds_c[2] = {0, 0}, dst_x0 = 0, dst_c[2] = {0, 0};
    fd_value("shrinking: value", shrinking_value_and_grad(in_x0, in_c, in_steps, &ds_x0, ds_c),
             shrinking(in_x0, in_c, in_steps));
    shrinking_taped_value_and_grad(in_x0, in_c, in_steps, &dst_x0, dst_c);
    fd_value("shrinking: d_x0 = taped d_x0", ds_x0, dst_x0);
    fd_value("shrinking: d_c[0] = taped d_c[0]", ds_c[0], dst_c[0]);
    fd_value("shrinking: d_c[1] = taped d_c[1]", ds_c[1], dst_c[1]);
    fd_check("down: d_x0", k, &in_x0, dn_x0, loss_down);
    fd_check_array("down: d_c", in_c, dn_c, 2, loss_down);
    fd_check("shrinking: d_x0", k, &in_x0, ds_x0, loss_shrinking);
    fd_check_array("shrinking: d_c", in_c, ds_c, 2, loss_shrinking);
    fd_check("d_x0", k, &in_x0, d_x0, loss);
    fd_check_array("d_c", in_c, d_c, 2, loss);
  }
  return fd_report("checkpoint");
}
#endif
