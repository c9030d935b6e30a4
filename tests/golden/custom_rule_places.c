/* custom_rule_places: calls of a function with custom rules where the
 * sweeps treat calls specially: in a helper that vgradcc inlines, in one
 * branch of an if (made only when that branch is taken; in a branch of ?:
 * it is refused, as any call without a body here is), in a checkpointed
 * loop (replayed from snapshots), and twice in one expression.  FD
 * f64/f32, gradient and tangent (the tangent where jvp takes the
 * function: no checkpoint there). */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

REAL sq_lib(REAL v); /* v * v, the driver's */
REAL sq_lib_vjp(REAL v, REAL ct_ret, REAL *d_v) {
  if (d_v)
    *d_v += 2 * v * ct_ret;
  return v * v;
}
REAL sq_lib_jvp(REAL v, REAL t_v, REAL *t_ret) {
  *t_ret = 2 * v * t_v;
  return v * v;
}
#pragma vgrad custom_vjp(sq_lib) with(sq_lib_vjp)
#pragma vgrad custom_jvp(sq_lib) with(sq_lib_jvp)

static REAL helper(REAL a, REAL b) { return sq_lib(a - b) + a * b; }

REAL custom_rule_places(REAL x, REAL y) {
  REAL s = helper(x, y) + sq_lib(x) * sq_lib(y);
  REAL t = y;
  if (x > 0)
    t = sq_lib(x + y);
  return s * t + sin(s);
}
#pragma vgrad value_and_grad(custom_rule_places) argnums(all)
#pragma vgrad jvp(custom_rule_places) argnums(all)

REAL custom_rule_steps(REAL x, int n) {
  REAL s = x;
#pragma vgrad checkpoint snapshots(2)
  for (int k = 0; k < n; k++)
    s = 0.5 * sq_lib(s) + sin(s) * x;
  return s;
}
#pragma vgrad value_and_grad(custom_rule_steps)

#ifdef VG_DRIVER
#include "custom_rule_places.vg.h"
#include "fdcheck.h"

REAL sq_lib(REAL v) { return v * v; }

static REAL in_x = 0.6, in_y = -0.35;
static const REAL dir_x = 0.7, dir_y = 0.4;

static REAL loss(void) { return custom_rule_places(in_x, in_y); }
static REAL loss_steps(void) { return custom_rule_steps(in_x, 5); }

static double along(REAL eps, int index) {
  (void)index;
  return custom_rule_places(in_x + eps * dir_x, in_y + eps * dir_y);
}

int main(void) {
  REAL d_x = 0, d_y = 0;
  REAL v = custom_rule_places_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("custom_rule_places", v, loss());
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);
  REAL t_ret = -99;
  REAL vj = custom_rule_places_jvp(in_x, in_y, dir_x, dir_y, &t_ret);
  fd_value("custom_rule_places (jvp)", vj, loss());
  fd_check_tangent("t_ret", -1, t_ret, along);
  in_x = -0.45; /* the other branch */
  d_x = d_y = 0;
  v = custom_rule_places_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("custom_rule_places (x < 0)", v, loss());
  fd_check("d_x (x < 0)", -1, &in_x, d_x, loss);
  fd_check("d_y (x < 0)", -1, &in_y, d_y, loss);
  in_x = 0.6;
  REAL d_xs = 0;
  REAL vs = custom_rule_steps_value_and_grad(in_x, 5, &d_xs);
  fd_value("custom_rule_steps", vs, loss_steps());
  fd_check("d_x (steps)", -1, &in_x, d_xs, loss_steps);
  return fd_report("custom_rule_places");
}
#endif
