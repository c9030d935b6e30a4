/* scalar.c: MLX's mse and lasso written with arrays (tests/golden/array_mse.c,
 * array_lasso.c) give the same numbers as written in scalar C
 * (samples/mse.c, samples/lasso.c): the generated functions of both are
 * called on the same inputs, and the values, auxiliary outputs and
 * gradients compared, to within 1e-12 (double) or 1e-5 (float) relative to
 * max(1, |value|): the two evaluate their sums in different orders.
 *
 *   scalar/mse/REAL     value, d_w, d_b at two points
 *   scalar/lasso/REAL   loss, mse, l1, d_w at two points
 *
 * Compiled with -DREAL=double or -DREAL=float (tests/arrays/scalar.sh),
 * the array inputs then float64 or float32. */
#include <math.h>
#include <stdio.h>

#include "array_lasso.vg.h"
#include "array_mse.vg.h"
#include "lasso.vg.h"
#include "mse.vg.h"

#define IS_FLOAT (sizeof(REAL) == sizeof(float))
#define REAL_NAME (IS_FLOAT ? "float" : "double")

enum { N = 4, D = 2 };
static const REAL x[N * D] = {1.0, 2.0, 2.0, 0.5, -1.0, 1.5, 0.5, -1.0}, y[N] = {3.0, 2.5, 0.5, -0.25};
static const REAL points[2][D + 1] = {{0.5, -0.8, 0.25}, {-1.25, 0.3, -0.5}};

static long nerrors;
static char first_error[300];
static char why[400];
static int nfailed;

static void on_error(const char *message, void *user) {
  (void)user;
  if (nerrors++ == 0)
    snprintf(first_error, sizeof first_error, "%s", message);
}

static vg_array *array(const REAL *data, int ndim, const int *shape) {
  const void *p = data;
  return IS_FLOAT ? vg_from_f32((const float *)p, ndim, shape) : vg_from_f64((const double *)p, ndim, shape);
}

static double get(vg_array *a, size_t i) {
  return vg_dtype_of(a) == VG_F64 ? vg_data_f64(a)[i] : (double)vg_data_f32(a)[i];
}

/* array value `got` (element i) against the scalar code's `want`. */
static void near(const char *what, int p, vg_array *got, size_t i, double want) {
  double tol = IS_FLOAT ? 1e-5 : 1e-12;
  if (why[0])
    return;
  if (!got || vg_size(got) <= i)
    snprintf(why, sizeof why, "point %d: %s: %s", p, what, got ? "too few elements" : "NULL");
  else if (!(fabs(get(got, i) - want) <= tol * fmax(1.0, fabs(want))))
    snprintf(why, sizeof why, "point %d: %s[%zu]: arrays %.17g, scalar C %.17g", p, what, i, get(got, i), want);
}

static void report(const char *name) {
  if (!why[0] && nerrors)
    snprintf(why, sizeof why, "vgrad error: %s", first_error);
  if (why[0]) {
    printf("FAIL scalar/%s/%s: %s\n", name, REAL_NAME, why);
    nfailed++;
  } else {
    printf("PASS scalar/%s/%s\n", name, REAL_NAME);
  }
  why[0] = 0;
  nerrors = 0;
}

int main(void) {
  vg_set_error_handler(on_error, NULL);
  vg_array *ax = array(x, 2, (const int[]){N, D}), *ay = array(y, 1, (const int[]){N});

  for (int p = 0; p < 2; p++) {
    const REAL *w = points[p], b = points[p][D];
    REAL d_w[D] = {0, 0}, d_b = 0;
    REAL v = mse_value_and_grad(w, b, x, y, N, D, d_w, &d_b);
    vg_array *aw = array(w, 1, (const int[]){D}), *ab = array(&b, 0, NULL), *ad_w = NULL, *ad_b = NULL;
    vg_array *av = array_mse_value_and_grad(aw, ab, ax, ay, &ad_w, &ad_b);
    near("value", p, av, 0, v);
    for (int j = 0; j < D; j++)
      near("d_w", p, ad_w, (size_t)j, d_w[j]);
    near("d_b", p, ad_b, 0, d_b);
    vg_free(av);
    vg_free(ad_w);
    vg_free(ad_b);
    vg_free(aw);
    vg_free(ab);
  }
  report("mse");

  const REAL a = 1.0, b = 0.1;
  vg_array *aa = array(&a, 0, NULL), *ab = array(&b, 0, NULL);
  for (int p = 0; p < 2; p++) {
    const REAL *w = points[p];
    REAL d_w[D] = {0, 0};
    LassoOut s = lasso_value_and_grad(w, x, y, N, D, a, b, d_w);
    vg_array *aw = array(w, 1, (const int[]){D}), *ad_w = NULL;
    ArrayLassoOut o = array_lasso_value_and_grad(aw, ax, ay, aa, ab, &ad_w);
    near("loss", p, o.loss, 0, s.loss);
    near("mse", p, o.mse, 0, s.mse);
    near("l1", p, o.l1, 0, s.l1);
    for (int j = 0; j < D; j++)
      near("d_w", p, ad_w, (size_t)j, d_w[j]);
    vg_free(o.loss);
    vg_free(o.mse);
    vg_free(o.l1);
    vg_free(ad_w);
    vg_free(aw);
  }
  report("lasso");

  vg_free(aa);
  vg_free(ab);
  vg_free(ax);
  vg_free(ay);
  if (vg_live_arrays() != 0) {
    printf("FAIL scalar/none-left/%s: %ld arrays alive at the end\n", REAL_NAME, vg_live_arrays());
    nfailed++;
  }
  return nfailed ? 1 : 0;
}
