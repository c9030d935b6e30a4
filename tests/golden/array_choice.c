/* array_choice: an argument of an array operation chosen by ?: (the
 * mutation fuzzer's vg_matmul(x, w ? w : w) crashed vgradcc: the choice
 * had no adjoint of its own).  It is kept in a variable, as a nested
 * operation is, and its adjoint goes to the array chosen.
 * Inputs: a, b (3,) and pick, not differentiated; the loss is a 0-d array.
 * See array_r_lm.c for the include.
 *
 * The driver checks, for pick = 0, 1, 2, the value and every gradient
 * entry against central finite differences, float64 and float32, with
 * tests/fdcheck.h's steps and tolerances (|g - n| <= 1e-6 + 1e-5
 * max(|g|,|n|) for double, 2e-3 + 2e-2 max(...) for float), and that no
 * array is left alive.
 */
#include "../../runtime/vgrad.h"

vg_array *array_choice(vg_array *a, vg_array *b, int pick) {
  vg_array *m = vg_mul(a, pick > 0 ? b : a); /* a*b, or a*a */
  return vg_sum(vg_add(m, (vg_array *)(pick > 1 ? a : b)));
}
#pragma vgrad value_and_grad(array_choice) argnums(0, 1)

#ifdef VG_DRIVER
#include "array_choice.vg.h"
#include "arrays/fdarray.h"

static const int shape[1] = {3};
static REAL in_a[3] = {0.5, -1.25, 2.0}, in_b[3] = {1.5, 0.75, -0.5};
static int in_pick;

static REAL loss(void) {
  vg_array *a = fa_array(in_a, 1, shape), *b = fa_array(in_b, 1, shape);
  REAL l = fa_take(array_choice(a, b, in_pick));
  vg_free(a);
  vg_free(b);
  return l;
}

static void check_with(int pick) {
  in_pick = pick;
  vg_array *a = fa_array(in_a, 1, shape), *b = fa_array(in_b, 1, shape);
  vg_array *d_a = NULL, *d_b = NULL;
  vg_array *value = array_choice_value_and_grad(a, b, pick, &d_a, &d_b);
  fa_value("value", value, loss());
  fa_check_grad("d_a", in_a, d_a, 1, shape, loss);
  fa_check_grad("d_b", in_b, d_b, 1, shape, loss);
  vg_free(value);
  vg_free(d_a);
  vg_free(d_b);
  vg_free(a);
  vg_free(b);
}

int main(void) {
  fa_init();
  check_with(0); /* sum(a*a + b) */
  check_with(1); /* sum(a*b + b) */
  check_with(2); /* sum(a*b + a) */
  return fa_report("array_choice");
}
#endif
