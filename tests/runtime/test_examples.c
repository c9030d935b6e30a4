/* test_examples.c: the two R examples (mlx_value_grad), differentiated by
 * chaining the runtime's VJPs by hand -- what generated code will do.
 *
 * (a) w = [[0],[0]], x = matrix(1:8, 4, 2), y = c(1,3,2,4) as (4,1)
 *     loss = sum((x %*% w - y)^2) / 4 = 7.5;  d loss / d w = (-14.5, -34.5)
 * (b) x = matrix(1:4, 2, 2), w = c(1,-1)
 *     loss = sum((x %*% w) * (x %*% w)) = 8; d/dw = (-12, -28), d/dx = [[-4,4],[-4,4]]
 * R fills matrices column by column: matrix(1:8,4,2) has rows [1,5] [2,6]
 * [3,7] [4,8], and matrix(1:4,2,2) rows [1,3] [2,4]. */
#include "test_util.h"

static vg_array *make(vg_dtype dt, const double *v, int ndim, const int *shape) {
  vg_array *a = vg_from_f64(v, ndim, shape);
  if (dt == VG_F64) return a;
  vg_array *b = vg_keep(vg_astype(a, VG_F32));
  vg_free(a);
  return b;
}

static void example_a(vg_dtype dt, const char *suffix) {
  char name[64];
  long live = vg_live_arrays();
  vg_array *x = make(dt, (double[]){1, 5, 2, 6, 3, 7, 4, 8}, 2, (int[]){4, 2});
  vg_array *w = make(dt, (double[]){0, 0}, 2, (int[]){2, 1});
  vg_array *y = make(dt, (double[]){1, 3, 2, 4}, 2, (int[]){4, 1});
  vg_array *four = vg_scalar(4);

  /* The plain expression, as a user writes it. */
  vg_array *plain = vg_div(vg_sum(vg_square(vg_sub(vg_matmul(x, w), y))), four);
  snprintf(name, sizeof name, "example_a_loss_%s", suffix);
  check(vg_item(plain) == 7.5, name, "loss %.17g", vg_item(plain));
  vg_free(plain);

  /* Forward sweep keeping what the reverse sweep reads. */
  vg_array *p = vg_keep(vg_matmul(x, w));
  vg_array *r = vg_keep(vg_sub(p, y));
  vg_array *s = vg_keep(vg_square(r));
  vg_array *t = vg_keep(vg_sum(s));
  vg_array *loss = vg_div(t, four);
  /* Reverse sweep. */
  vg_array *seed = vg_scalar(1), *g_t = NULL, *g_s = NULL, *g_r = NULL, *g_p = NULL, *g_w = NULL;
  vg_div_vjp(t, four, loss, seed, &g_t, NULL);
  vg_sum_vjp(s, t, g_t, &g_s);
  vg_square_vjp(r, s, g_s, &g_r);
  vg_sub_vjp(p, y, r, g_r, &g_p, NULL);
  vg_matmul_vjp(x, w, p, g_p, NULL, &g_w);

  snprintf(name, sizeof name, "example_a_grad_w_%s", suffix);
  char why[256] = "";
  check(values_are(g_w, 2, (int[]){2, 1}, (double[]){-14.5, -34.5}, 0, why, sizeof why) &&
            vg_dtype_of(g_w) == dt,
        name, "%s", why);
  vg_array *all[] = {x, w, y, four, p, r, s, t, loss, seed, g_t, g_s, g_r, g_p, g_w};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) vg_free(all[i]);
  snprintf(name, sizeof name, "example_a_no_leak_%s", suffix);
  check(vg_live_arrays() == live, name, "%ld arrays left", vg_live_arrays() - live);
}

static void example_b(vg_dtype dt, const char *suffix) {
  char name[64], why[256] = "";
  long live = vg_live_arrays();
  vg_array *x = make(dt, (double[]){1, 3, 2, 4}, 2, (int[]){2, 2});
  vg_array *w = make(dt, (double[]){1, -1}, 1, (int[]){2});

  vg_array *p = vg_keep(vg_matmul(x, w)); /* (2,): [-2, -2] */
  vg_array *q = vg_keep(vg_mul(p, p));
  vg_array *loss = vg_sum(q);
  snprintf(name, sizeof name, "example_b_loss_%s", suffix);
  check(vg_item(loss) == 8, name, "loss %.17g", vg_item(loss));

  vg_array *seed = vg_scalar(1), *g_q = NULL, *g_p = NULL, *g_x = NULL, *g_w = NULL;
  vg_sum_vjp(q, loss, seed, &g_q);
  vg_mul_vjp(p, p, q, g_q, &g_p, &g_p); /* both operands are p: contributions add */
  vg_matmul_vjp(x, w, p, g_p, &g_x, &g_w);

  snprintf(name, sizeof name, "example_b_grad_w_%s", suffix);
  check(values_are(g_w, 1, (int[]){2}, (double[]){-12, -28}, 0, why, sizeof why), name, "%s", why);
  snprintf(name, sizeof name, "example_b_grad_x_%s", suffix);
  check(values_are(g_x, 2, (int[]){2, 2}, (double[]){-4, 4, -4, 4}, 0, why, sizeof why), name, "%s",
        why);
  vg_array *all[] = {x, w, p, q, loss, seed, g_q, g_p, g_x, g_w};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) vg_free(all[i]);
  snprintf(name, sizeof name, "example_b_no_leak_%s", suffix);
  check(vg_live_arrays() == live, name, "%ld arrays left", vg_live_arrays() - live);
}

int main(void) {
  example_a(VG_F64, "f64");
  example_a(VG_F32, "f32");
  example_b(VG_F64, "f64");
  example_b(VG_F32, "f32");
  return finish();
}
