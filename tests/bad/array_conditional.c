// expect: 6:25: error: array operation 'vg_mul' in a conditionally evaluated operand (&&, ||, ?:) is not supported; assign it to a variable in an if statement of its own
/* Evaluated before the choice, the branch not taken could fail (shapes
 * that do not broadcast): refused, with what to write instead. */
#include "../../runtime/vgrad.h"
vg_array *choose(vg_array *w, vg_array *x, double c) {
  return c > 0 ? vg_sum(vg_mul(w, x)) : vg_mean(w);
}
#pragma vgrad value_and_grad(choose)
