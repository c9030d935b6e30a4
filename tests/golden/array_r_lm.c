/* array_r_lm: R's least-squares loss, written with vg_array operations.
 *
 *     loss <- function(w, x, y) {
 *       preds <- x %*% w
 *       resids <- preds - y
 *       sum(resids * resids) / length(y)
 *     }
 *
 * with x = matrix(1:8, 4, 2), y = matrix(c(1,3,2,4), 4, 1) and
 * w = matrix(0, 2, 1), differentiated w.r.t. all arguments (R's default).
 * R matrices are column-major, so x's rows are [1,5], [2,6], [3,7], [4,8].
 * resids is used twice, so it is kept (vgrad.h's ownership rule) and freed.
 *
 * vgradcc reads this file without -Iruntime (tests/run.sh), hence the
 * relative include; the generated files include <vgrad.h>.
 *
 * The driver checks every gradient entry against central finite
 * differences, float64 and float32, with tests/fdcheck.h's steps and
 * tolerances (|g - n| <= 1e-6 + 1e-5 max(|g|,|n|) for double, 2e-3 + 2e-2
 * max(...) for float), and that no array is left alive.
 */
#include "../../runtime/vgrad.h"

vg_array *array_r_lm(vg_array *w, vg_array *x, vg_array *y) {
  vg_array *preds = vg_matmul(x, w);
  vg_array *resids = vg_keep(vg_sub(preds, y));
  vg_array *n = vg_scalar((double)vg_size(y));
  vg_array *l = vg_div(vg_sum(vg_mul(resids, resids)), n);
  vg_free(resids);
  vg_free(n);
  return l;
}
#pragma vgrad value_and_grad(array_r_lm) argnums(all)

#ifdef VG_DRIVER
#include "array_r_lm.vg.h"
#include "arrays/fdarray.h"

static const int w_shape[2] = {2, 1}, x_shape[2] = {4, 2}, y_shape[2] = {4, 1};
static REAL in_w[2], in_x[8] = {1, 5, 2, 6, 3, 7, 4, 8}, in_y[4] = {1, 3, 2, 4};

static REAL loss(void) {
  vg_array *w = fa_array(in_w, 2, w_shape), *x = fa_array(in_x, 2, x_shape), *y = fa_array(in_y, 2, y_shape);
  REAL l = fa_take(array_r_lm(w, x, y));
  vg_free(w);
  vg_free(x);
  vg_free(y);
  return l;
}

/* value_and_grad at w = (w0, w1): the value against the original, every
 * gradient entry against finite differences; the arrays are the caller's
 * and are freed here. */
static void check_at(REAL w0, REAL w1, int exact) {
  in_w[0] = w0;
  in_w[1] = w1;
  vg_array *w = fa_array(in_w, 2, w_shape), *x = fa_array(in_x, 2, x_shape), *y = fa_array(in_y, 2, y_shape);
  vg_array *d_w = NULL, *d_x = NULL, *d_y = NULL;
  vg_array *value = array_r_lm_value_and_grad(w, x, y, &d_w, &d_x, &d_y);
  fa_value("value", value, loss());
  if (exact) {
    /* R: 7.5, gradient w = (-14.5, -34.5), x = 0, y = resids * -2/4 = y/2 */
    static const double want_w[2] = {-14.5, -34.5}, want_x[8] = {0}, want_y[4] = {0.5, 1.5, 1, 2};
    if (value)
      fa_exact("value", -1, vg_item(value), 7.5);
    fa_exact_array("d_w", d_w, want_w, 2);
    fa_exact_array("d_x", d_x, want_x, 8);
    fa_exact_array("d_y", d_y, want_y, 4);
  }
  fa_check_grad("d_w", in_w, d_w, 2, w_shape, loss);
  fa_check_grad("d_x", in_x, d_x, 2, x_shape, loss);
  fa_check_grad("d_y", in_y, d_y, 2, y_shape, loss);
  vg_free(value);
  vg_free(d_w);
  vg_free(d_x);
  vg_free(d_y);
  vg_free(w);
  vg_free(x);
  vg_free(y);
}

int main(void) {
  fa_init();
  check_at(0, 0, 1);      /* R's example */
  check_at(0.3, -0.2, 0); /* a point where the gradient w.r.t. x is not 0 */
  return fa_report("array_r_lm");
}
#endif
