/* array_mixed: array code mixed with scalar C code in one loss:
 *   - a double parameter, `scale`, differentiated, scaling the features
 *     through vg_scalar(scale) (vg_scalar of an active double);
 *   - vg_item of an array used in a double expression (`m`, `k`), whose
 *     result goes back into the arrays through vg_scalar(k);
 *   - a helper function of this file, `layer`, that takes and returns
 *     arrays, called twice and differentiated through.
 * Inputs: w (3,), x (4,3); the loss is a 0-d array.  See array_r_lm.c for
 * the include.
 *
 * The driver checks every gradient entry against central finite
 * differences, float64 and float32, with tests/fdcheck.h's steps and
 * tolerances (|g - n| <= 1e-6 + 1e-5 max(|g|,|n|) for double, 2e-3 + 2e-2
 * max(...) for float), and that no array is left alive.
 */
#include "../../runtime/vgrad.h"

#include <math.h>

/* tanh(x @ w * s): a temporary; x, w and s are not freed. */
vg_array *layer(vg_array *x, vg_array *w, vg_array *s) { return vg_tanh(vg_mul(vg_matmul(x, w), s)); }

vg_array *array_mixed(vg_array *w, vg_array *x, double scale) {
  vg_array *s = vg_scalar(2.0 * scale);
  vg_array *h = vg_keep(layer(x, w, s)); /* (4,) */
  vg_array *mh = vg_mean(h);
  double m = vg_item(mh);                   /* a plain double from now on */
  double k = m * m + 0.5 * sin(scale) - 1.0;
  vg_array *kk = vg_scalar(k);
  vg_array *g = layer(x, w, kk);            /* the helper again, with k */
  vg_array *l = vg_add(vg_sum(vg_mul(h, g)), vg_mul(s, kk));
  vg_free(mh);
  vg_free(h);
  vg_free(s);
  vg_free(kk);
  return l;
}
#pragma vgrad value_and_grad(array_mixed) argnums(0, 2)

#ifdef VG_DRIVER
#include "array_mixed.vg.h"
#include "arrays/fdarray.h"

static const int w_shape[1] = {3}, x_shape[2] = {4, 3};
static REAL in_w[3] = {0.4, -0.3, 0.2};
static REAL in_x[12] = {1.0, 0.5, -0.5, 0.25, -1.0, 0.75, -0.5, 0.3, 1.2, 0.9, -0.2, -0.6};
static REAL in_scale;

static REAL loss(void) {
  vg_array *w = fa_array(in_w, 1, w_shape), *x = fa_array(in_x, 2, x_shape);
  REAL l = fa_take(array_mixed(w, x, in_scale));
  vg_free(w);
  vg_free(x);
  return l;
}

static void check_at(REAL scale) {
  in_scale = scale;
  vg_array *w = fa_array(in_w, 1, w_shape), *x = fa_array(in_x, 2, x_shape);
  vg_array *d_w = NULL;
  double d_scale = 0; /* a double gradient is accumulated: start at 0 */
  vg_array *value = array_mixed_value_and_grad(w, x, in_scale, &d_w, &d_scale);
  fa_value("value", value, loss());
  fa_check_grad("d_w", in_w, d_w, 1, w_shape, loss);
  fd_check("d_scale", -1, &in_scale, d_scale, loss);
  vg_free(value);
  vg_free(d_w);
  vg_free(w);
  vg_free(x);
}

int main(void) {
  fa_init();
  check_at(0.7);
  check_at(-1.3);
  return fa_report("array_mixed");
}
#endif
