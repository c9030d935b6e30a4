/* array_lasso: MLX's lasso example with vg_array operations: the loss
 * returns (loss, mse, l1), only the first is differentiated and the other
 * two are auxiliary outputs, passed through.  As in samples/lasso.c (whose
 * numbers the driver also checks), forward is the linear model x @ w,
 *
 *     mse  = mean((x @ w - y)^2)
 *     l1   = sum(|w|)
 *     loss = a * mse + b * l1
 *
 * with a and b 0-d arrays, differentiated w.r.t. w.  (MLX's documentation
 * takes l1 = mean(|outputs - targets|); samples/lasso.c, and so this
 * case, the lasso penalty sum(|w|).)  mse and l1 are used twice, so they
 * are kept; being returned, they belong to the caller, who frees all three
 * members.  See array_r_lm.c for the include in array_lasso.h.
 *
 * The driver checks every gradient entry against central finite
 * differences, float64 and float32, with tests/fdcheck.h's steps and
 * tolerances (|g - n| <= 1e-6 + 1e-5 max(|g|,|n|) for double, 2e-3 + 2e-2
 * max(...) for float), and that no array is left alive.
 */
#include "array_lasso.h" /* ArrayLassoOut; includes vgrad.h */

vg_array *forward(vg_array *w, vg_array *x) { return vg_matmul(x, w); }

ArrayLassoOut array_lasso(vg_array *w, vg_array *x, vg_array *y, vg_array *a, vg_array *b) {
  vg_array *outputs = forward(w, x);
  vg_array *mse = vg_keep(vg_mean(vg_square(vg_sub(outputs, y))));
  vg_array *l1 = vg_keep(vg_sum(vg_abs(w)));
  vg_array *loss = vg_add(vg_mul(a, mse), vg_mul(b, l1));
  ArrayLassoOut out = {loss, mse, l1};
  return out;
}
#pragma vgrad value_and_grad(array_lasso) argnums(0)

#ifdef VG_DRIVER
#include "array_lasso.vg.h"
#include "arrays/fdarray.h"
#include "../../samples/lasso.c" /* LassoOut lasso(w, x, y, n, d, a, b) */

enum { N = 4, D = 2 };
static const int w_shape[1] = {D}, x_shape[2] = {N, D}, y_shape[1] = {N};
static REAL in_w[D], in_x[N * D] = {1.0, 2.0, 2.0, 0.5, -1.0, 1.5, 0.5, -1.0}, in_y[N] = {3.0, 2.5, 0.5, -0.25};
static REAL in_a = 1.0, in_b = 0.1;

static void free_out(ArrayLassoOut o) {
  vg_free(o.loss);
  vg_free(o.mse);
  vg_free(o.l1);
}

static REAL loss(void) {
  vg_array *w = fa_array(in_w, 1, w_shape), *x = fa_array(in_x, 2, x_shape), *y = fa_array(in_y, 1, y_shape);
  vg_array *a = fa_array(&in_a, 0, NULL), *b = fa_array(&in_b, 0, NULL);
  ArrayLassoOut o = array_lasso(w, x, y, a, b);
  REAL l = (REAL)vg_item(o.loss);
  free_out(o);
  vg_free(w);
  vg_free(x);
  vg_free(y);
  vg_free(a);
  vg_free(b);
  return l;
}

static REAL scalar_loss(void) { return lasso(in_w, in_x, in_y, N, D, in_a, in_b).loss; }

/* Away from the kinks of |w|. */
static void check_at(REAL w0, REAL w1) {
  in_w[0] = w0;
  in_w[1] = w1;
  vg_array *w = fa_array(in_w, 1, w_shape), *x = fa_array(in_x, 2, x_shape), *y = fa_array(in_y, 1, y_shape);
  vg_array *a = fa_array(&in_a, 0, NULL), *b = fa_array(&in_b, 0, NULL);
  vg_array *d_w = NULL;
  ArrayLassoOut got = array_lasso_value_and_grad(w, x, y, a, b, &d_w);
  ArrayLassoOut want = array_lasso(w, x, y, a, b);
  fa_value("loss", got.loss, vg_item(want.loss));
  fa_value("mse", got.mse, vg_item(want.mse));
  fa_value("l1", got.l1, vg_item(want.l1));
  fa_check_grad("d_w", in_w, d_w, 1, w_shape, loss);
  /* the same numbers as samples/lasso.c */
  LassoOut s = lasso(in_w, in_x, in_y, N, D, in_a, in_b);
  if (got.loss && got.mse && got.l1) {
    fa_near("loss vs samples/lasso.c", -1, vg_item(got.loss), s.loss);
    fa_near("mse vs samples/lasso.c", -1, vg_item(got.mse), s.mse);
    fa_near("l1 vs samples/lasso.c", -1, vg_item(got.l1), s.l1);
  }
  fa_check_grad("d_w vs samples/lasso.c", in_w, d_w, 1, w_shape, scalar_loss);
  free_out(got);
  free_out(want);
  vg_free(d_w);
  vg_free(w);
  vg_free(x);
  vg_free(y);
  vg_free(a);
  vg_free(b);
}

int main(void) {
  fa_init();
  check_at(0.5, -0.8);
  check_at(-1.25, 0.3);
  return fa_report("array_lasso");
}
#endif
