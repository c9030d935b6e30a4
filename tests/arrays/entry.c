/* entry.c: the run-time entry points (design 1.4; vgrad.h, "Run-time entry
 * points").  Generated functions are looked up by name and called with
 * argnums chosen at run time; the value, the auxiliary outputs and each
 * gradient must equal what the static generated functions give:
 *
 *   entry/array_r_lm/argnums=...   tests/golden/array_r_lm.c, whose static
 *       function has argnums(all): every choice is compared, element by
 *       element and exactly, with the static gradients;
 *   entry/array_lasso/argnums=...  tests/golden/array_lasso.c: value and
 *       aux (mse, l1) against the static function's, d_w exactly against
 *       its d_w; the static function has argnums(0) only, so the other
 *       gradients are checked against the closed form of
 *       loss = a mse + b l1, mse = mean(r^2), r = x w - y:
 *       d_a = mse, d_b = l1, d_x = 2a/n r w^T, d_y = -2a/n r (1e-12);
 *   entry/array_mse/...            tests/golden/array_mse.c (argnums(0, 1));
 *   entry/errors                   an unknown name, a wrong number of
 *       arrays, an argnums entry out of range: NULL or -1;
 *   entry/none-left                no array alive at the end.
 *
 * Built with the three generated files (tests/arrays/entry.sh). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "array_lasso.vg.h"
#include "array_mse.vg.h"
#include "array_r_lm.vg.h"

static long nerrors;
static char first_error[300];

static void on_error(const char *message, void *user) {
  (void)user;
  if (nerrors++ == 0)
    snprintf(first_error, sizeof first_error, "%s", message);
}

static int nfailed;
static char why[600];

/* Records why a check failed (the first reason only). */
static void whynot(const char *fmt, const char *what, long i, double got, double want) {
  if (!why[0])
    snprintf(why, sizeof why, fmt, what, i, got, want);
}

static void report(const char *name) {
  if (!why[0] && nerrors)
    snprintf(why, sizeof why, "vgrad error: %s", first_error);
  if (why[0]) {
    printf("FAIL %s: %s\n", name, why);
    nfailed++;
  } else {
    printf("PASS %s\n", name);
  }
  why[0] = 0;
  nerrors = 0;
}

static double get(vg_array *a, size_t i) {
  return vg_dtype_of(a) == VG_F64 ? vg_data_f64(a)[i] : (double)vg_data_f32(a)[i];
}

/* got must have want's shape and, elementwise, equal it exactly
 * (tol 0) or to within tol relative. */
static void compare(const char *what, vg_array *got, vg_array *want, double tol) {
  if (!got || !want) {
    if (!why[0])
      snprintf(why, sizeof why, "%s: %s is NULL", what, got ? "the expected array" : "the entry point's");
    return;
  }
  int same = vg_ndim(got) == vg_ndim(want);
  for (int d = 0; same && d < vg_ndim(got); d++)
    same = vg_shape(got)[d] == vg_shape(want)[d];
  if (!same) {
    if (!why[0])
      snprintf(why, sizeof why, "%s: shapes differ (ndim %d and %d)", what, vg_ndim(got), vg_ndim(want));
    return;
  }
  for (size_t i = 0; i < vg_size(got); i++) {
    double g = get(got, i), w = get(want, i);
    if (tol == 0 ? g != w : fabs(g - w) > tol * (1 + fabs(w)))
      whynot("%s[%ld] = %.17g, expected %.17g", what, (long)i, g, w);
  }
}

static char *argnums_name(char *buf, const char *fn, const int *argnums, int n) {
  int k = sprintf(buf, "entry/%s/argnums=", fn);
  if (n == 0)
    sprintf(buf + k, "none");
  for (int i = 0; i < n; i++)
    k += sprintf(buf + k, i ? ",%d" : "%d", argnums[i]);
  return buf;
}

/* ---- array_r_lm: every gradient from the static function ---- */

static void r_lm(vg_array **args, const int *argnums, int n) {
  char name[100];
  const vg_function *f = vg_lookup("array_r_lm");
  vg_array *want[3] = {NULL, NULL, NULL}, *value = NULL, *grads[3] = {NULL, NULL, NULL};
  vg_array *want_value = array_r_lm_value_and_grad(args[0], args[1], args[2], &want[0], &want[1], &want[2]);
  if (!f)
    snprintf(why, sizeof why, "vg_lookup(\"array_r_lm\") is NULL");
  else if (vg_call_value_and_grad(f, args, 3, argnums, n, &value, NULL, grads) != 0)
    snprintf(why, sizeof why, "vg_call_value_and_grad returned an error");
  else {
    compare("value", value, want_value, 0);
    for (int i = 0; i < n; i++) {
      char what[40];
      snprintf(what, sizeof what, "grads[%d] (d_%c)", i, "wxy"[argnums[i]]);
      compare(what, grads[i], want[argnums[i]], 0);
    }
  }
  report(argnums_name(name, "array_r_lm", argnums, n));
  vg_free(value);
  vg_free(want_value);
  for (int i = 0; i < 3; i++) {
    vg_free(want[i]);
    vg_free(grads[i]);
  }
}

/* ---- array_lasso: value, aux, d_w from the static function ---- */

enum { N = 4, D = 2 };

/* The closed-form gradient of argument k (see the top). */
static vg_array *lasso_closed_form(vg_array **args, int k, vg_array *mse, vg_array *l1) {
  const double *w = vg_data_f64(args[0]), *x = vg_data_f64(args[1]), *y = vg_data_f64(args[2]);
  double a = vg_item(args[3]), r[N], g[N * D];
  for (int i = 0; i < N; i++) {
    r[i] = -y[i];
    for (int j = 0; j < D; j++)
      r[i] += x[i * D + j] * w[j];
  }
  switch (k) {
  case 1:
    for (int i = 0; i < N; i++)
      for (int j = 0; j < D; j++)
        g[i * D + j] = 2 * a / N * r[i] * w[j];
    return vg_from_f64(g, 2, (const int[]){N, D});
  case 2:
    for (int i = 0; i < N; i++)
      g[i] = -2 * a / N * r[i];
    return vg_from_f64(g, 1, (const int[]){N});
  case 3:
    return vg_keep(mse);
  case 4:
    return vg_keep(l1);
  default:
    return NULL;
  }
}

static void lasso(vg_array **args, const int *argnums, int n, int want_aux) {
  char name[100];
  const vg_function *f = vg_lookup("array_lasso");
  vg_array *d_w = NULL, *value = NULL, *aux[2] = {NULL, NULL}, *grads[5] = {NULL};
  ArrayLassoOut want = array_lasso_value_and_grad(args[0], args[1], args[2], args[3], args[4], &d_w);
  if (!f)
    snprintf(why, sizeof why, "vg_lookup(\"array_lasso\") is NULL");
  else if (vg_function_nargs(f) != 5 || vg_function_naux(f) != 2)
    snprintf(why, sizeof why, "%d arguments and %d aux, expected 5 and 2", vg_function_nargs(f),
             vg_function_naux(f));
  else if (vg_call_value_and_grad(f, args, 5, argnums, n, &value, want_aux ? aux : NULL, grads) != 0)
    snprintf(why, sizeof why, "vg_call_value_and_grad returned an error");
  else {
    compare("value", value, want.loss, 0);
    if (want_aux) {
      compare("aux[0] (mse)", aux[0], want.mse, 0);
      compare("aux[1] (l1)", aux[1], want.l1, 0);
    }
    for (int i = 0; i < n && !why[0]; i++) {
      char what[40];
      snprintf(what, sizeof what, "grads[%d] (d_%s)", i, (const char *[]){"w", "x", "y", "a", "b"}[argnums[i]]);
      if (argnums[i] == 0) {
        compare(what, grads[i], d_w, 0);
      } else {
        vg_array *c = lasso_closed_form(args, argnums[i], want.mse, want.l1);
        compare(what, grads[i], c, 1e-12);
        vg_free(c);
      }
    }
  }
  report(argnums_name(name, want_aux ? "array_lasso" : "array_lasso/no-aux", argnums, n));
  vg_free(value);
  vg_free(aux[0]);
  vg_free(aux[1]);
  for (int i = 0; i < n; i++)
    vg_free(grads[i]);
  vg_free(want.loss);
  vg_free(want.mse);
  vg_free(want.l1);
  vg_free(d_w);
}

/* ---- array_mse: argnums(0, 1) static ---- */

static void mse(vg_array **args, const int *argnums, int n) {
  char name[100];
  const vg_function *f = vg_lookup("array_mse");
  vg_array *want[2] = {NULL, NULL}, *value = NULL, *grads[4] = {NULL};
  vg_array *want_value = array_mse_value_and_grad(args[0], args[1], args[2], args[3], &want[0], &want[1]);
  if (!f)
    snprintf(why, sizeof why, "vg_lookup(\"array_mse\") is NULL");
  else if (vg_call_value_and_grad(f, args, 4, argnums, n, &value, NULL, grads) != 0)
    snprintf(why, sizeof why, "vg_call_value_and_grad returned an error");
  else {
    compare("value", value, want_value, 0);
    for (int i = 0; i < n; i++)
      compare(argnums[i] ? "d_b" : "d_w", grads[i], want[argnums[i]], 0);
  }
  report(argnums_name(name, "array_mse", argnums, n));
  vg_free(value);
  vg_free(want_value);
  vg_free(want[0]);
  vg_free(want[1]);
  for (int i = 0; i < n; i++)
    vg_free(grads[i]);
}

static void errors(vg_array **args) {
  vg_array *value = NULL, *grads[3] = {NULL};
  const vg_function *f = vg_lookup("array_r_lm");
  int bad_argnum[1] = {3}, neg_argnum[1] = {-1};
  if (vg_lookup("no_such_function") != NULL)
    snprintf(why, sizeof why, "vg_lookup of an unknown name is not NULL");
  else if (vg_function_nargs(f) != 3 || vg_function_naux(f) != 0)
    snprintf(why, sizeof why, "array_r_lm: %d arguments, %d aux; expected 3 and 0", vg_function_nargs(f),
             vg_function_naux(f));
  else if (vg_call_value_and_grad(NULL, args, 3, NULL, 0, &value, NULL, grads) != -1)
    snprintf(why, sizeof why, "calling NULL did not return -1");
  else if (vg_call_value_and_grad(f, args, 2, NULL, 0, &value, NULL, grads) != -1)
    snprintf(why, sizeof why, "2 arguments for 3 did not return -1");
  else if (vg_call_value_and_grad(f, args, 3, bad_argnum, 1, &value, NULL, grads) != -1 ||
           vg_call_value_and_grad(f, args, 3, neg_argnum, 1, &value, NULL, grads) != -1)
    snprintf(why, sizeof why, "argnums 3 or -1 for 3 arguments did not return -1");
  else if (value || grads[0])
    snprintf(why, sizeof why, "a failed call wrote an output");
  report("entry/errors");
}

int main(void) {
  vg_set_error_handler(on_error, NULL);

  /* R's lm example, at a point where no gradient is 0 */
  double w[2] = {0.3, -0.2}, x[8] = {1, 5, 2, 6, 3, 7, 4, 8}, y[4] = {1, 3, 2, 4};
  vg_array *lm[3] = {vg_from_f64(w, 2, (const int[]){2, 1}), vg_from_f64(x, 2, (const int[]){4, 2}),
                     vg_from_f64(y, 2, (const int[]){4, 1})};
  int c1[] = {0}, c2[] = {1}, c3[] = {2}, c4[] = {0, 2}, c5[] = {2, 0}, c6[] = {1, 2, 0};
  r_lm(lm, c1, 1);
  r_lm(lm, c2, 1);
  r_lm(lm, c3, 1);
  r_lm(lm, c4, 2);
  r_lm(lm, c5, 2);
  r_lm(lm, c6, 3);
  r_lm(lm, NULL, 0);

  /* samples/lasso.c's inputs */
  double lw[D] = {0.5, -0.8}, lx[N * D] = {1.0, 2.0, 2.0, 0.5, -1.0, 1.5, 0.5, -1.0}, ly[N] = {3.0, 2.5, 0.5, -0.25};
  vg_array *la[5] = {vg_from_f64(lw, 1, (const int[]){D}), vg_from_f64(lx, 2, (const int[]){N, D}),
                     vg_from_f64(ly, 1, (const int[]){N}), vg_scalar(1.0), vg_scalar(0.1)};
  int l1[] = {0}, l2[] = {0, 3, 4}, l3[] = {4, 1, 2}, l4[] = {2, 0, 1, 4, 3};
  lasso(la, l1, 1, 1);
  lasso(la, l2, 3, 1);
  lasso(la, l3, 3, 1);
  lasso(la, l4, 5, 1);
  lasso(la, NULL, 0, 1);
  lasso(la, l2, 3, 0); /* aux not asked for: freed by the entry point */

  double mw[D] = {0.5, -0.8}, mb = 0.25;
  vg_array *ma[4] = {vg_from_f64(mw, 1, (const int[]){D}), vg_from_f64(&mb, 0, NULL), vg_keep(la[1]), vg_keep(la[2])};
  int m1[] = {1, 0}, m2[] = {0};
  mse(ma, m1, 2);
  mse(ma, m2, 1);

  errors(lm);

  for (int i = 0; i < 3; i++)
    vg_free(lm[i]);
  for (int i = 0; i < 5; i++)
    vg_free(la[i]);
  for (int i = 0; i < 4; i++)
    vg_free(ma[i]);
  if (vg_live_arrays() != 0)
    snprintf(why, sizeof why, "%ld arrays alive at the end", vg_live_arrays());
  report("entry/none-left");
  return nfailed ? 1 : 0;
}
