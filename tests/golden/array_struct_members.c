/* array_struct_members: a loss written with vg_array operations that
 * returns a struct of arrays (MLX's (loss, mse, l1) lasso), built the
 * ways C builds a struct, each differentiated w.r.t. w:
 *
 *   members   `ArrayLassoOut r; r.mse = ...; r.l1 = ...; r.loss = f(r.mse,
 *             r.l1); return r;` (stores into the members, read back)
 *   compound  `return (ArrayLassoOut){vg_add(...), mse, l1};` (operations
 *             inside a compound literal)
 *   init      `ArrayLassoOut r = {vg_add(...), mse, l1}; return r;`
 *   fit       FitOut {loss, rows, resid}: a number member beside arrays,
 *             the residual array stored in a member and read back
 *
 * with loss = a * mean((x @ w - y)^2) + b * sum(|w|), as array_lasso.c.
 * Returned members belong to the caller, who frees them.
 *
 * The driver checks value, auxiliary outputs and every gradient entry
 * against central finite differences, float64 and float32, with
 * tests/fdcheck.h's steps and tolerances (|g - n| <= 1e-6 + 1e-5
 * max(|g|,|n|) for double, 2e-3 + 2e-2 max(...) for float), and that no
 * array is left alive.
 */
#include "array_struct_members.h" /* FitOut, ArrayLassoOut; includes vgrad.h */

ArrayLassoOut members(vg_array *w, vg_array *x, vg_array *y, vg_array *a, vg_array *b) {
  ArrayLassoOut r;
  vg_array *outputs = vg_matmul(x, w);
  r.mse = vg_keep(vg_mean(vg_square(vg_sub(outputs, y))));
  r.l1 = vg_keep(vg_sum(vg_abs(w)));
  r.loss = vg_add(vg_mul(a, r.mse), vg_mul(b, r.l1));
  return r;
}
#pragma vgrad value_and_grad(members) argnums(0)

ArrayLassoOut compound(vg_array *w, vg_array *x, vg_array *y, vg_array *a, vg_array *b) {
  vg_array *mse = vg_keep(vg_mean(vg_square(vg_sub(vg_matmul(x, w), y))));
  vg_array *l1 = vg_keep(vg_sum(vg_abs(w)));
  return (ArrayLassoOut){vg_add(vg_mul(a, mse), vg_mul(b, l1)), mse, l1};
}
#pragma vgrad value_and_grad(compound) argnums(0)

ArrayLassoOut init(vg_array *w, vg_array *x, vg_array *y, vg_array *a, vg_array *b) {
  vg_array *mse = vg_keep(vg_mean(vg_square(vg_sub(vg_matmul(x, w), y))));
  vg_array *l1 = vg_keep(vg_sum(vg_abs(w)));
  ArrayLassoOut r = {vg_add(vg_mul(a, mse), vg_mul(b, l1)), mse, l1};
  return r;
}
#pragma vgrad value_and_grad(init) argnums(0)

FitOut fit(vg_array *w, vg_array *x, vg_array *y, vg_array *a, vg_array *b) {
  FitOut out;
  out.rows = (double)vg_shape(x)[0];
  out.resid = vg_keep(vg_sub(vg_matmul(x, w), y));
  vg_array *mse = vg_mean(vg_square(out.resid));
  out.loss = vg_add(vg_mul(a, mse), vg_mul(b, vg_sum(vg_abs(w))));
  return out;
}
#pragma vgrad value_and_grad(fit) argnums(0)

#ifdef VG_DRIVER
#include "array_struct_members.vg.h"
#include "../arrays/fdarray.h"

enum { N = 4, D = 2 };
static const int w_shape[1] = {D}, x_shape[2] = {N, D}, y_shape[1] = {N};
static REAL in_w[D], in_x[N * D] = {1.0, 2.0, 2.0, 0.5, -1.0, 1.5, 0.5, -1.0}, in_y[N] = {3.0, 2.5, 0.5, -0.25};
static REAL in_a = 1.0, in_b = 0.1;

typedef ArrayLassoOut (*lasso_fn)(vg_array *, vg_array *, vg_array *, vg_array *, vg_array *);
typedef ArrayLassoOut (*lasso_vg_fn)(vg_array *, vg_array *, vg_array *, vg_array *, vg_array *, vg_array **);

typedef struct {
  vg_array *w, *x, *y, *a, *b;
} Inputs;

static Inputs make_inputs(void) {
  Inputs in = {fa_array(in_w, 1, w_shape), fa_array(in_x, 2, x_shape), fa_array(in_y, 1, y_shape),
               fa_array(&in_a, 0, NULL), fa_array(&in_b, 0, NULL)};
  return in;
}

static void free_inputs(Inputs in) {
  vg_free(in.w);
  vg_free(in.x);
  vg_free(in.y);
  vg_free(in.a);
  vg_free(in.b);
}

static void free_lasso(ArrayLassoOut o) {
  vg_free(o.loss);
  vg_free(o.mse);
  vg_free(o.l1);
}

static lasso_fn current;

static REAL lasso_loss(void) {
  Inputs in = make_inputs();
  ArrayLassoOut o = current(in.w, in.x, in.y, in.a, in.b);
  REAL l = (REAL)vg_item(o.loss);
  free_lasso(o);
  free_inputs(in);
  return l;
}

static REAL fit_loss(void) {
  Inputs in = make_inputs();
  FitOut o = fit(in.w, in.x, in.y, in.a, in.b);
  REAL l = (REAL)vg_item(o.loss);
  vg_free(o.loss);
  vg_free(o.resid);
  free_inputs(in);
  return l;
}

static void check_lasso(const char *name, lasso_fn f, lasso_vg_fn f_vg) {
  current = f;
  Inputs in = make_inputs();
  vg_array *d_w = NULL;
  ArrayLassoOut got = f_vg(in.w, in.x, in.y, in.a, in.b, &d_w);
  ArrayLassoOut want = f(in.w, in.x, in.y, in.a, in.b);
  char what[64];
  snprintf(what, sizeof what, "%s loss", name);
  fa_value(what, got.loss, vg_item(want.loss));
  snprintf(what, sizeof what, "%s mse", name);
  fa_value(what, got.mse, vg_item(want.mse));
  snprintf(what, sizeof what, "%s l1", name);
  fa_value(what, got.l1, vg_item(want.l1));
  snprintf(what, sizeof what, "%s d_w", name);
  fa_check_grad(what, in_w, d_w, 1, w_shape, lasso_loss);
  free_lasso(got);
  free_lasso(want);
  vg_free(d_w);
  free_inputs(in);
}

static void check_fit(void) {
  Inputs in = make_inputs();
  vg_array *d_w = NULL;
  FitOut got = fit_value_and_grad(in.w, in.x, in.y, in.a, in.b, &d_w);
  FitOut want = fit(in.w, in.x, in.y, in.a, in.b);
  fa_value("fit loss", got.loss, vg_item(want.loss));
  fa_exact("fit rows", -1, got.rows, want.rows);
  if (got.resid && want.resid) {
    double resid[N];
    for (int i = 0; i < N; i++)
      resid[i] = fa_get(want.resid, (size_t)i);
    fa_exact_array("fit resid", got.resid, resid, N);
  }
  fa_check_grad("fit d_w", in_w, d_w, 1, w_shape, fit_loss);
  vg_free(got.loss);
  vg_free(got.resid);
  vg_free(want.loss);
  vg_free(want.resid);
  vg_free(d_w);
  free_inputs(in);
}

/* Away from the kinks of |w|. */
static void check_at(REAL w0, REAL w1) {
  in_w[0] = w0;
  in_w[1] = w1;
  check_lasso("members", members, members_value_and_grad);
  check_lasso("compound", compound, compound_value_and_grad);
  check_lasso("init", init, init_value_and_grad);
  check_fit();
}

int main(void) {
  fa_init();
  check_at(0.5, -0.8);
  check_at(-1.25, 0.3);
  return fa_report("array_struct_members");
}
#endif
