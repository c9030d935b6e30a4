/* leak_loss.c: the loss of the leak test (tests/arrays/leaks.sh),
 *
 *     mean((a - b)^2)
 *
 * written as the one expression vgrad.h's ownership rule is made for, and
 * again with the result in a variable first (so a failure of one form does
 * not hide the other).  Both are differentiated w.r.t. a and b. */
#include <vgrad.h>

vg_array *mse_nested(vg_array *a, vg_array *b) { return vg_mean(vg_square(vg_sub(a, b))); }
#pragma vgrad value_and_grad(mse_nested) argnums(0, 1)

vg_array *mse_named(vg_array *a, vg_array *b) {
  vg_array *l = vg_mean(vg_square(vg_sub(a, b)));
  return l;
}
#pragma vgrad value_and_grad(mse_named) argnums(0, 1)
