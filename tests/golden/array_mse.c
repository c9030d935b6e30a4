/* array_mse: MLX's mse example with vg_array operations,
 *
 *     def mse(params, inputs, targets):
 *         outputs = forward(params, inputs)
 *         return (outputs - targets).square().mean()
 *
 * with the linear model of samples/mse.c, forward = x @ w + b (x n-by-d,
 * w of d elements, b a 0-d array), differentiated w.r.t. w and b.  forward
 * is a function of this file, differentiated through.  The driver also
 * checks the value and the gradients against samples/mse.c, the same loss
 * written as scalar C, at the same inputs.  See array_r_lm.c for the
 * include.
 *
 * The driver checks every gradient entry against central finite
 * differences, float64 and float32, with tests/fdcheck.h's steps and
 * tolerances (|g - n| <= 1e-6 + 1e-5 max(|g|,|n|) for double, 2e-3 + 2e-2
 * max(...) for float), and that no array is left alive.
 */
#include "../../runtime/vgrad.h"

vg_array *forward(vg_array *w, vg_array *b, vg_array *x) { return vg_add(vg_matmul(x, w), b); }

vg_array *array_mse(vg_array *w, vg_array *b, vg_array *x, vg_array *y) {
  vg_array *outputs = forward(w, b, x);
  vg_array *l = vg_mean(vg_square(vg_sub(outputs, y)));
  return l;
}
#pragma vgrad value_and_grad(array_mse) argnums(0, 1)

#ifdef VG_DRIVER
#include "array_mse.vg.h"
#include "arrays/fdarray.h"
#include "../../samples/mse.c" /* REAL mse(w, b, x, y, n, d) */

enum { N = 4, D = 2 };
static const int w_shape[1] = {D}, x_shape[2] = {N, D}, y_shape[1] = {N};
static REAL in_w[D], in_b, in_x[N * D] = {1.0, 2.0, 2.0, 0.5, -1.0, 1.5, 0.5, -1.0}, in_y[N] = {3.0, 2.5, 0.5, -0.25};

static REAL loss(void) {
  vg_array *w = fa_array(in_w, 1, w_shape), *b = fa_array(&in_b, 0, NULL);
  vg_array *x = fa_array(in_x, 2, x_shape), *y = fa_array(in_y, 1, y_shape);
  REAL l = fa_take(array_mse(w, b, x, y));
  vg_free(w);
  vg_free(b);
  vg_free(x);
  vg_free(y);
  return l;
}

/* The scalar-C version, for finite differences of the other program. */
static REAL scalar_loss(void) { return mse(in_w, in_b, in_x, in_y, N, D); }

static void check_at(REAL w0, REAL w1, REAL b0) {
  in_w[0] = w0;
  in_w[1] = w1;
  in_b = b0;
  vg_array *w = fa_array(in_w, 1, w_shape), *b = fa_array(&in_b, 0, NULL);
  vg_array *x = fa_array(in_x, 2, x_shape), *y = fa_array(in_y, 1, y_shape);
  vg_array *d_w = NULL, *d_b = NULL;
  vg_array *value = array_mse_value_and_grad(w, b, x, y, &d_w, &d_b);
  fa_value("value", value, loss());
  fa_check_grad("d_w", in_w, d_w, 1, w_shape, loss);
  fa_check_grad("d_b", &in_b, d_b, 0, NULL, loss);
  /* the same numbers as samples/mse.c: its value, and the finite
   * differences of it (tests/samples/mse_check.c checks its own gradient) */
  if (value)
    fa_near("value vs samples/mse.c", -1, vg_item(value), scalar_loss());
  fa_check_grad("d_w vs samples/mse.c", in_w, d_w, 1, w_shape, scalar_loss);
  fa_check_grad("d_b vs samples/mse.c", &in_b, d_b, 0, NULL, scalar_loss);
  vg_free(value);
  vg_free(d_w);
  vg_free(d_b);
  vg_free(w);
  vg_free(b);
  vg_free(x);
  vg_free(y);
}

int main(void) {
  fa_init();
  check_at(0.5, -0.8, 0.25);
  check_at(-1.25, 0.3, -0.5);
  return fa_report("array_mse");
}
#endif
