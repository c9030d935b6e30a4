/* array_loop: an array updated in a loop, then the remaining operations:
 *   - h = vg_add(h, ...) and h = vg_tanh(...) in a loop whose trip count is
 *     an int parameter (each temporary h is consumed by the next update);
 *   - reductions over an axis, vg_sum_axis and vg_mean_axis;
 *   - vg_transpose and vg_reshape (to a vector in column order);
 *   - vg_maximum, and every elementwise function: vg_sub, vg_div, vg_neg,
 *     vg_square, vg_sqrt, vg_exp, vg_log, vg_abs, vg_sin, vg_cos.
 * Inputs: w (3,), x (2,3).  h is used several times after the loop, so it
 * is kept; `one` is a constant made once and freed.  See array_r_lm.c for
 * the include.
 *
 * The driver checks every gradient entry against central finite
 * differences, float64 and float32, with tests/fdcheck.h's steps and
 * tolerances (|g - n| <= 1e-6 + 1e-5 max(|g|,|n|) for double, 2e-3 + 2e-2
 * max(...) for float), and that no array is left alive.
 */
#include "../../runtime/vgrad.h"

vg_array *array_loop(vg_array *w, vg_array *x, int steps) {
  int flat_shape[1] = {6};
  vg_array *one = vg_scalar(1.0);
  vg_array *h = vg_mul(x, w); /* (2,3): w broadcast over the rows */
  for (int i = 0; i < steps; i++) {
    h = vg_add(h, vg_mul(vg_sin(w), vg_cos(x)));
    h = vg_tanh(vg_add(h, vg_neg(w)));
  }
  h = vg_keep(h);
  vg_array *cols = vg_sum_axis(h, 0);                             /* (3,) */
  vg_array *rows = vg_mean_axis(h, 1);                            /* (2,) */
  vg_array *flat = vg_reshape(vg_transpose(h), 1, flat_shape);    /* (6,) */
  vg_array *top = vg_maximum(flat, vg_reshape(vg_abs(x), 1, flat_shape));
  vg_array *a = vg_sum(vg_sqrt(vg_exp(top)));
  vg_array *b = vg_mean(vg_log(vg_add(one, vg_square(cols))));
  vg_array *c = vg_sum(vg_div(vg_exp(rows), vg_add(one, vg_square(vg_sum(w)))));
  vg_array *l = vg_sub(vg_add(a, b), c);
  vg_free(h);
  vg_free(one);
  return l;
}
#pragma vgrad value_and_grad(array_loop) argnums(0, 1)

#ifdef VG_DRIVER
#include "array_loop.vg.h"
#include "arrays/fdarray.h"

static const int w_shape[1] = {3}, x_shape[2] = {2, 3};
static REAL in_w[3] = {0.6, -0.4, 0.9};
static REAL in_x[6] = {0.5, -1.2, 0.3, -0.7, 0.2, 1.1};
static int in_steps;

static REAL loss(void) {
  vg_array *w = fa_array(in_w, 1, w_shape), *x = fa_array(in_x, 2, x_shape);
  REAL l = fa_take(array_loop(w, x, in_steps));
  vg_free(w);
  vg_free(x);
  return l;
}

static void check_at(int steps) {
  in_steps = steps;
  vg_array *w = fa_array(in_w, 1, w_shape), *x = fa_array(in_x, 2, x_shape);
  vg_array *d_w = NULL, *d_x = NULL;
  vg_array *value = array_loop_value_and_grad(w, x, in_steps, &d_w, &d_x);
  fa_value("value", value, loss());
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
  for (int steps = 0; steps <= 3; steps++)
    check_at(steps);
  return fa_report("array_loop");
}
#endif
