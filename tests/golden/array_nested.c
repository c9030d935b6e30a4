/* array_nested: vg_array operations nested where C puts expressions, each
 * given a variable of its own by vgradcc:
 *
 *   cast      vg_array *r = (vg_array *)vg_sum(vg_mul(w, x));
 *   cast_arg  vg_keep((vg_array *)vg_mul(w, x)) (vgradcc crashed on it:
 *             random seed 89)
 *   item      vg_item(m) in a double expression (m a temporary that the
 *             readers leave alone, freed after)
 *   scalar    vg_mul(k, vg_sum(vg_tanh(w))) with k = vg_scalar(s * s)
 *             (an array of a differentiated double; owned, so freed)
 *   comma     r = vg_sum(vg_mul(w, x)), r = vg_add(r, r);
 *
 * (An operation in a branch of ?: is refused: bad/array_conditional.)
 * The driver checks values and every gradient entry (w, and s where it is
 * selected) against central finite differences, float64 and float32, with
 * tests/fdcheck.h's steps and tolerances (|g - n| <= 1e-6 + 1e-5
 * max(|g|,|n|) for double, 2e-3 + 2e-2 max(...) for float), and that no
 * array is left alive.
 */
#include "../../runtime/vgrad.h"

vg_array *cast(vg_array *w, vg_array *x) {
  vg_array *r = (vg_array *)vg_sum(vg_mul(w, x));
  return vg_mul(r, r);
}
#pragma vgrad value_and_grad(cast) argnums(0)

vg_array *cast_arg(vg_array *w, vg_array *x) {
  vg_array *t = vg_keep((vg_array *)vg_mul(w, x)); /* the cast as an operation's operand */
  vg_array *r = vg_sum(vg_mul(t, vg_tanh(t)));
  vg_free(t);
  return r;
}
#pragma vgrad value_and_grad(cast_arg) argnums(0)

double item(vg_array *w, double s) {
  vg_array *m = vg_mean(vg_mul(w, w)); /* read by vg_item, which frees nothing */
  double t = s * vg_item(m) + 0.5 * vg_item(m) * vg_item(m);
  vg_free(m);
  return t * t;
}
#pragma vgrad value_and_grad(item) argnums(all)

vg_array *scalar(vg_array *w, double s) {
  vg_array *k = vg_scalar(s * s); /* constructed, hence owned: freed below */
  vg_array *r = vg_mul(k, vg_sum(vg_tanh(w)));
  vg_free(k);
  return r;
}
#pragma vgrad value_and_grad(scalar) argnums(all)

vg_array *comma(vg_array *w, vg_array *x) {
  vg_array *r;
  r = vg_sum(vg_mul(w, x)), r = vg_mul(r, vg_sum(w));
  return r;
}
#pragma vgrad value_and_grad(comma) argnums(0)

#ifdef VG_DRIVER
#include "array_nested.vg.h"
#include "../arrays/fdarray.h"

enum { D = 3 };
static const int shape[1] = {D};
static REAL in_w[D] = {0.5, -0.75, 1.25}, in_x[D] = {1.5, 0.25, -0.5}, in_s = 0.625;

static int which; /* 0 cast, 1 item, 2 scalar, 3 comma, 4 cast_arg */

static REAL loss(void) {
  vg_array *w = fa_array(in_w, 1, shape), *x = fa_array(in_x, 1, shape);
  REAL l;
  if (which == 1) {
    l = (REAL)item(w, in_s);
  } else {
    vg_array *r = which == 0   ? cast(w, x)
                  : which == 2 ? scalar(w, in_s)
                  : which == 3 ? comma(w, x)
                               : cast_arg(w, x);
    l = (REAL)vg_item(r);
    vg_free(r);
  }
  vg_free(w);
  vg_free(x);
  return l;
}

int main(void) {
  fa_init();
  vg_array *w = fa_array(in_w, 1, shape), *x = fa_array(in_x, 1, shape);
  for (which = 0; which < 5; which++) {
    static const char *names[5] = {"cast", "item", "scalar", "comma", "cast_arg"};
    char what[32];
    vg_array *d_w = NULL;
    double d_s = 0;
    REAL want = loss();
    snprintf(what, sizeof what, "%s d_w", names[which]);
    if (which == 1) {
      REAL got = item_value_and_grad(w, in_s, &d_w, &d_s);
      fd_value("item", got, want);
    } else {
      vg_array *got = which == 0   ? cast_value_and_grad(w, x, &d_w)
                      : which == 2 ? scalar_value_and_grad(w, in_s, &d_w, &d_s)
                      : which == 3 ? comma_value_and_grad(w, x, &d_w)
                                   : cast_arg_value_and_grad(w, x, &d_w);
      fa_value(names[which], got, want);
      vg_free(got);
    }
    fa_check_grad(what, in_w, d_w, 1, shape, loss);
    if (which == 1 || which == 2) {
      snprintf(what, sizeof what, "%s d_s", names[which]);
      fd_check(what, -1, &in_s, d_s, loss);
    }
    vg_free(d_w);
  }
  vg_free(w);
  vg_free(x);
  return fa_report("array_nested");
}
#endif
