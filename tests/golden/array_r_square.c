/* array_r_square: R's
 *
 *     loss <- function(w, x) sum((x %*% w) * (x %*% w))
 *
 * with x = matrix(1:4, 2, 2) (rows [1,3] and [2,4]) and w = c(1, -1):
 * value 8, gradient w (-12, -28), gradient x [[-4, 4], [-4, 4]].  The two
 * products are separate temporaries, so nothing needs vg_keep.  See
 * array_r_lm.c for the include.
 *
 * The driver checks every gradient entry against central finite
 * differences, float64 and float32, with tests/fdcheck.h's steps and
 * tolerances (|g - n| <= 1e-6 + 1e-5 max(|g|,|n|) for double, 2e-3 + 2e-2
 * max(...) for float), and that no array is left alive.
 */
#include "../../runtime/vgrad.h"

vg_array *array_r_square(vg_array *w, vg_array *x) { return vg_sum(vg_mul(vg_matmul(x, w), vg_matmul(x, w))); }
#pragma vgrad value_and_grad(array_r_square) argnums(all)

#ifdef VG_DRIVER
#include "array_r_square.vg.h"
#include "arrays/fdarray.h"

static const int w_shape[1] = {2}, x_shape[2] = {2, 2};
static REAL in_w[2], in_x[4] = {1, 3, 2, 4};

static REAL loss(void) {
  vg_array *w = fa_array(in_w, 1, w_shape), *x = fa_array(in_x, 2, x_shape);
  REAL l = fa_take(array_r_square(w, x));
  vg_free(w);
  vg_free(x);
  return l;
}

static void check_at(REAL w0, REAL w1, int exact) {
  in_w[0] = w0;
  in_w[1] = w1;
  vg_array *w = fa_array(in_w, 1, w_shape), *x = fa_array(in_x, 2, x_shape);
  vg_array *d_w = NULL, *d_x = NULL;
  vg_array *value = array_r_square_value_and_grad(w, x, &d_w, &d_x);
  fa_value("value", value, loss());
  if (exact) {
    static const double want_w[2] = {-12, -28}, want_x[4] = {-4, 4, -4, 4};
    if (value)
      fa_exact("value", -1, vg_item(value), 8);
    fa_exact_array("d_w", d_w, want_w, 2);
    fa_exact_array("d_x", d_x, want_x, 4);
  }
  fa_check_grad("d_w", in_w, d_w, 1, w_shape, loss);
  fa_check_grad("d_x", in_x, d_x, 2, x_shape, loss);
  vg_free(value);
  vg_free(d_w);
  vg_free(d_x);
  vg_free(w);
  vg_free(x);
}

int main(void) {
  fa_init();
  check_at(1, -1, 1);      /* R's example */
  check_at(0.25, 0.75, 0); /* another point */
  return fa_report("array_r_square");
}
#endif
