/* custom_rule_used: the rules are used, not the function's body.
 * soft_clip has a body here (tanh), which vgradcc would otherwise inline
 * and differentiate; its custom_vjp and custom_jvp rules are instead the
 * straight-through estimator (derivative 1), which differs from tanh's
 * 1 - tanh^2 at the point checked.  The driver checks that the gradient
 * and the tangent are the ones the rules give, computed by hand, and that
 * they are not the true derivatives (so a rule ignored fails the test).
 * Float arguments keep their type: a float loss gets `float ct_ret`,
 * `float *d_v`, `float t_v`, `float *t_ret`. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

REAL soft_clip(REAL v) { return tanh(v); }

REAL soft_clip_vjp(REAL v, REAL ct_ret, REAL *d_v) {
  if (d_v)
    *d_v += ct_ret; /* straight through */
  return tanh(v);
}

REAL soft_clip_jvp(REAL v, REAL t_v, REAL *t_ret) {
  *t_ret = t_v;
  return tanh(v);
}

#pragma vgrad custom_vjp(soft_clip) with(soft_clip_vjp)
#pragma vgrad custom_jvp(soft_clip) with(soft_clip_jvp)

REAL custom_rule_used(REAL v, REAL w) { return w * soft_clip(v * v) + v; }
#pragma vgrad value_and_grad(custom_rule_used) argnums(all)
#pragma vgrad jvp(custom_rule_used) argnums(all)

#ifdef VG_DRIVER
#include "custom_rule_used.vg.h"
#include "fdcheck.h"

int main(void) {
  REAL v = 0.9, w = 1.3, d_v = 0, d_w = 0;
  REAL value = custom_rule_used_value_and_grad(v, w, &d_v, &d_w);
  fd_value("custom_rule_used", value, custom_rule_used(v, w));
  /* the rule's: d(soft_clip(u))/du = 1, u = v * v */
  fd_value("d_v (the rule's)", d_v, w * 2 * v + 1);
  fd_value("d_w", d_w, tanh(v * v));
  /* and not tanh's: 1 - tanh(u)^2 = 0.55 at u = 0.81 */
  REAL true_d_v = w * 2 * v * (1 - tanh(v * v) * tanh(v * v)) + 1;
  fd_checks++;
  if (fabs((double)(d_v - true_d_v)) < 0.1) {
    printf("MISMATCH d_v %g is the true derivative %g: the custom rule was ignored\n", (double)d_v,
           (double)true_d_v);
    fd_failures++;
  }
  REAL t_v = 0.4, t_w = -0.7, t_ret = -99;
  value = custom_rule_used_jvp(v, w, t_v, t_w, &t_ret);
  fd_value("custom_rule_used (jvp)", value, custom_rule_used(v, w));
  fd_value("t_ret (the rule's)", t_ret, t_w * tanh(v * v) + w * 2 * v * t_v + t_v);
  return fd_report("custom_rule_used");
}
#endif
