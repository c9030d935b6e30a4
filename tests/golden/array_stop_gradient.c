/* array_stop_gradient: vg_stop_gradient on vg_array operands, an owned
 * array (the parameter w, returned as it is) and a temporary (x @ w,
 * which the operation it is passed to frees, as without it):
 *
 *     loss = sum(w * stop(w)) + mean((x @ w - tanh(stop(x @ w)))^2)
 *
 * so that d/dw = stop(w) + x^T 2 (x @ w - tanh(x @ w)) / m: the driver
 * checks that by hand (w, not 2 w, for the first term; no tanh' for the
 * second), and against finite differences that hold the stopped arrays
 * at the point checked (sg_frozen_array), float64 and float32.  No
 * array is left alive (fa_report). */
#include "../../runtime/vgrad.h"
#ifndef REAL
#define REAL double
#endif

#ifdef VG_DRIVER
#include "arrays/fdarray.h"
/* As in stop_gradient.c: the driver's copy of the loss records what each
 * vg_stop_gradient(a) gives at the point checked, and gives it back while
 * fd_check moves an input: a new temporary of the recorded values takes
 * the place of `a` (which is freed if it was a temporary, as the
 * operation it was passed to would have). */
enum { SG_MAX = 8, SG_ELEMS = 16 };
static int sg_replay, sg_count;
static REAL sg_values[SG_MAX][SG_ELEMS];
static int sg_ndim[SG_MAX], sg_shape[SG_MAX][2];
static vg_array *sg_frozen_array(vg_array *a) {
  int k = sg_count++;
  if (k >= SG_MAX || vg_ndim(a) > 2 || vg_size(a) > SG_ELEMS) {
    fd_failures++;
    printf("MISMATCH sg_frozen_array: more or larger arrays than it records\n");
    return a;
  }
  if (!sg_replay) {
    sg_ndim[k] = vg_ndim(a);
    for (int d = 0; d < sg_ndim[k]; d++)
      sg_shape[k][d] = vg_shape(a)[d];
    for (size_t i = 0; i < vg_size(a); i++)
      sg_values[k][i] = (REAL)fa_get(a, i);
    return a;
  }
  vg_array *held = fa_array(sg_values[k], sg_ndim[k], sg_shape[k]);
  vg_array *frozen = vg_copy(held);
  vg_free(held);
  if (vg_is_temporary(a))
    vg_free(a);
  return frozen;
}
#undef vg_stop_gradient
#define vg_stop_gradient(a) sg_frozen_array(a)
#endif

vg_array *array_stop_gradient(vg_array *w, vg_array *x) {
  vg_array *pred = vg_keep(vg_matmul(x, w));
  vg_array *r = vg_sub(pred, vg_tanh(vg_stop_gradient(vg_matmul(x, w))));
  vg_array *loss = vg_add(vg_sum(vg_mul(w, vg_stop_gradient(w))), vg_mean(vg_square(r)));
  vg_free(pred);
  return loss;
}
#pragma vgrad value_and_grad(array_stop_gradient) argnums(0)

#ifdef VG_DRIVER
#include "array_stop_gradient.vg.h"

enum { M = 3, D = 2 };
static const int w_shape[1] = {D}, x_shape[2] = {M, D};
static REAL in_w[D] = {0.6, -0.35}, in_x[M * D] = {1.0, 0.5, -0.75, 1.25, 0.3, -1.1};

static REAL loss(void) {
  sg_count = 0;
  vg_array *w = fa_array(in_w, 1, w_shape), *x = fa_array(in_x, 2, x_shape);
  REAL l = fa_take(array_stop_gradient(w, x));
  vg_free(w);
  vg_free(x);
  return l;
}

int main(void) {
  fa_init();
  vg_array *w = fa_array(in_w, 1, w_shape), *x = fa_array(in_x, 2, x_shape);
  vg_array *d_w = NULL;
  vg_array *got = array_stop_gradient_value_and_grad(w, x, &d_w);
  sg_replay = 0;
  sg_count = 0;
  vg_array *want = array_stop_gradient(w, x);
  sg_replay = 1;
  fa_value("loss", got, vg_item(want));
  fd_checks++;
  if (sg_count != 2) {
    printf("MISMATCH calls: the original made %d calls of vg_stop_gradient, expected 2\n", sg_count);
    fd_failures++;
  }
  /* by hand: w + x^T 2 (x w - tanh(x w)) / M */
  if (fa_shape("d_w", d_w, 1, w_shape)) {
    for (int j = 0; j < D; j++) {
      double g = in_w[j];
      for (int i = 0; i < M; i++) {
        double p = (double)in_x[i * D] * in_w[0] + (double)in_x[i * D + 1] * in_w[1];
        g += 2.0 * (p - tanh(p)) / M * in_x[i * D + j];
      }
      fa_near("d_w by hand", j, fa_get(d_w, (size_t)j), g);
    }
  }
  fa_check_grad("d_w", in_w, d_w, 1, w_shape, loss);
  vg_free(got);
  vg_free(want);
  vg_free(d_w);
  vg_free(w);
  vg_free(x);
  return fa_report("array_stop_gradient");
}
#endif
