/* R's mlx_grad worked examples, written with libvgrad's arrays: called
 * through the run-time entry points (vg_lookup, vg_call_value_and_grad). */
#include <vgrad.h>

vg_array *lm_loss(vg_array *w, vg_array *x, vg_array *y) {
  vg_array *resid = vg_keep(vg_sub(vg_matmul(x, w), y));
  vg_array *n = vg_scalar((double)vg_size(y));
  vg_array *l = vg_div(vg_sum(vg_mul(resid, resid)), n);
  vg_free(resid);
  vg_free(n);
  return l;
}
#pragma vgrad value_and_grad(lm_loss) argnums(0)

vg_array *square_loss(vg_array *w, vg_array *x) {
  return vg_sum(vg_square(vg_matmul(x, w)));
}
#pragma vgrad value_and_grad(square_loss) argnums(all)
