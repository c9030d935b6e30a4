/* test_vjp.c: every vector-Jacobian product against central finite
 * differences, in float64 and float32.
 *
 * For y = op(x1, ..., xn) and a fixed random weight W of y's shape, the
 * scalar L(x) = sum(W * y) has dL/dxi = op_vjp(..., g_out = W).  Each
 * element of each input is moved by +h and -h and
 *
 *     numeric = (L(x + h) - L(x - h)) / ((x + h) - (x - h))
 *
 * (the step as actually stored, which matters in float32) is compared with
 * the analytic value g:
 *
 *   float64: h = 1e-5 max(1, |x|); pass if |g - n| <= 1e-7 + 1e-6 max(|g|, |n|)
 *   float32: h = 1e-2 max(1, |x|); pass if |g - n| <= 2e-3 + 1e-2 max(|g|, |n|)
 *
 * float64: truncation error ~h^2 |f'''| / 6 ~ 1e-11 and rounding ~1e-16 |L| / h
 * ~ 1e-10 are far inside 1e-6 relative.  float32: y is rounded to 24 bits
 * (6e-8 relative), so rounding error in n is ~6e-8 |L| / h ~ 1e-4 and
 * truncation ~2e-5 |f'''|; inputs are kept where |f'''| is moderate (log and
 * sqrt on [0.5, 2], divisors on [1, 2]) and more than h away from the kinks
 * of abs and maximum, so a correct derivative passes with a wide margin while
 * a wrong one (missing term, sign, factor 2) fails by orders of magnitude.
 *
 * Each case also checks that passing out = NULL gives the same gradient, that
 * a second call accumulates (doubles) the gradient, and that leaving a
 * gradient slot NULL computes the others unchanged. */
#include <stdlib.h>

#include "test_util.h"

typedef struct vjp_case vjp_case;
typedef vg_array *(*forward_fn)(vg_array *const *x, const vjp_case *c);
typedef void (*vjp_fn)(vg_array *const *x, const vjp_case *c, const vg_array *out,
                       const vg_array *g, vg_array **slot[]);

struct vjp_case {
  const char *name;
  forward_fn fwd;
  vjp_fn vjp;
  int nin;
  int ndim[2];
  int shape[2][4];
  double lo, hi;  /* inputs uniform in [lo, hi] ... */
  bool kink_safe; /* ... or on a grid at least 0.1 from kinks at 0 and ties */
  int axis;       /* for the *_axis operations */
  int new_ndim;   /* for reshape */
  int new_shape[4];
  bool mixed; /* float32 runs keep input 1 in float64 */
};

/* ---- the operations under test, called uniformly ---- */

#define BINARY(op)                                                               \
  static vg_array *f_##op(vg_array *const *x, const vjp_case *c) {               \
    (void)c;                                                                     \
    return vg_##op(x[0], x[1]);                                                  \
  }                                                                              \
  static void v_##op(vg_array *const *x, const vjp_case *c, const vg_array *out, \
                     const vg_array *g, vg_array **slot[]) {                     \
    (void)c;                                                                     \
    vg_##op##_vjp(x[0], x[1], out, g, slot[0], slot[1]);                         \
  }
#define UNARY(op)                                                                \
  static vg_array *f_##op(vg_array *const *x, const vjp_case *c) {               \
    (void)c;                                                                     \
    return vg_##op(x[0]);                                                        \
  }                                                                              \
  static void v_##op(vg_array *const *x, const vjp_case *c, const vg_array *out, \
                     const vg_array *g, vg_array **slot[]) {                     \
    (void)c;                                                                     \
    vg_##op##_vjp(x[0], out, g, slot[0]);                                        \
  }
#define AXIS(op)                                                                 \
  static vg_array *f_##op(vg_array *const *x, const vjp_case *c) {               \
    return vg_##op(x[0], c->axis);                                               \
  }                                                                              \
  static void v_##op(vg_array *const *x, const vjp_case *c, const vg_array *out, \
                     const vg_array *g, vg_array **slot[]) {                     \
    vg_##op##_vjp(x[0], c->axis, out, g, slot[0]);                               \
  }

BINARY(add)
BINARY(sub)
BINARY(mul)
BINARY(div)
BINARY(maximum)
BINARY(matmul)
UNARY(neg)
UNARY(square)
UNARY(sqrt)
UNARY(exp)
UNARY(log)
UNARY(abs)
UNARY(tanh)
UNARY(sin)
UNARY(cos)
UNARY(transpose)
UNARY(sum)
UNARY(mean)
AXIS(sum_axis)
AXIS(mean_axis)

static vg_array *f_reshape(vg_array *const *x, const vjp_case *c) {
  return vg_reshape(x[0], c->new_ndim, c->new_shape);
}
static void v_reshape(vg_array *const *x, const vjp_case *c, const vg_array *out, const vg_array *g,
                      vg_array **slot[]) {
  vg_reshape_vjp(x[0], c->new_ndim, c->new_shape, out, g, slot[0]);
}

#define OP(op) .fwd = f_##op, .vjp = v_##op
#define IN1(n0, ...) .nin = 1, .ndim = {n0}, .shape = {__VA_ARGS__}
#define IN2(n0, n1, ...) .nin = 2, .ndim = {n0, n1}, .shape = {__VA_ARGS__}
#define RANGE(low, high) .lo = low, .hi = high

/* clang-format off */
#define VALUES(low, high, kink) .lo = low, .hi = high, .kink_safe = kink
#define BIN_CASES(op, low, high, kink)                                                       \
  {.name = #op "_same_2x3", OP(op), IN2(2, 2, {2, 3}, {2, 3}), VALUES(low, high, kink)},     \
  {.name = #op "_4x2_by_2", OP(op), IN2(2, 1, {4, 2}, {2}), VALUES(low, high, kink)},        \
  {.name = #op "_3x1_by_1x4", OP(op), IN2(2, 2, {3, 1}, {1, 4}), VALUES(low, high, kink)},   \
  {.name = #op "_scalar_by_2x3", OP(op), IN2(0, 2, {0}, {2, 3}), VALUES(low, high, kink)},   \
  {.name = #op "_2x1x3_by_4x1", OP(op), IN2(3, 2, {2, 1, 3}, {4, 1}), VALUES(low, high, kink)},
#define UN_CASE(op, low, high, kink) \
  {.name = #op "_2x3", OP(op), IN1(2, {2, 3}), VALUES(low, high, kink)},
#define MM_CASE(suffix, n0, n1, ...) \
  {.name = "matmul_" suffix, OP(matmul), IN2(n0, n1, __VA_ARGS__), RANGE(-1, 1)},
#define AXIS_CASES(op)                                                                  \
  {.name = #op "_2x3x4_axis0", OP(op), IN1(3, {2, 3, 4}), RANGE(-2, 2), .axis = 0},    \
  {.name = #op "_2x3x4_axis1", OP(op), IN1(3, {2, 3, 4}), RANGE(-2, 2), .axis = 1},    \
  {.name = #op "_2x3x4_axis_m1", OP(op), IN1(3, {2, 3, 4}), RANGE(-2, 2), .axis = -1}, \
  {.name = #op "_5_axis0", OP(op), IN1(1, {5}), RANGE(-2, 2), .axis = 0},

static const vjp_case cases[] = {
  BIN_CASES(add, -2, 2, false)
  BIN_CASES(sub, -2, 2, false)
  BIN_CASES(mul, -2, 2, false)
  BIN_CASES(div, 1, 2, false)
  BIN_CASES(maximum, -2, 2, true)
  UN_CASE(neg, -2, 2, false)
  UN_CASE(square, -2, 2, false)
  UN_CASE(sqrt, 0.5, 2, false)
  UN_CASE(exp, -1.5, 1.5, false)
  UN_CASE(log, 0.5, 2, false)
  UN_CASE(abs, -2, 2, true)
  UN_CASE(tanh, -2, 2, false)
  UN_CASE(sin, -3, 3, false)
  UN_CASE(cos, -3, 3, false)
  {.name = "exp_0d", OP(exp), IN1(0, {0}), RANGE(-1, 1)},
  MM_CASE("3x4_4x5", 2, 2, {3, 4}, {4, 5})
  MM_CASE("4_4", 1, 1, {4}, {4})
  MM_CASE("3x4_4", 2, 1, {3, 4}, {4})
  MM_CASE("4_4x5", 1, 2, {4}, {4, 5})
  MM_CASE("batch_2x3x4_4x5", 3, 2, {2, 3, 4}, {4, 5})
  MM_CASE("batch_2x1x3x4_3x4x2", 4, 3, {2, 1, 3, 4}, {3, 4, 2})
  MM_CASE("blocked_33x40_40x35", 2, 2, {33, 40}, {40, 35})
  {.name = "transpose_2x3", OP(transpose), IN1(2, {2, 3}), RANGE(-2, 2)},
  {.name = "transpose_2x3x4", OP(transpose), IN1(3, {2, 3, 4}), RANGE(-2, 2)},
  {.name = "transpose_5", OP(transpose), IN1(1, {5}), RANGE(-2, 2)},
  {.name = "reshape_2x6_to_3xm1", OP(reshape), IN1(2, {2, 6}), RANGE(-2, 2),
   .new_ndim = 2, .new_shape = {3, -1}},
  {.name = "reshape_2x3x4_to_4x6", OP(reshape), IN1(3, {2, 3, 4}), RANGE(-2, 2),
   .new_ndim = 2, .new_shape = {4, 6}},
  {.name = "sum_2x3x4", OP(sum), IN1(3, {2, 3, 4}), RANGE(-2, 2)},
  {.name = "mean_2x3x4", OP(mean), IN1(3, {2, 3, 4}), RANGE(-2, 2)},
  AXIS_CASES(sum_axis)
  AXIS_CASES(mean_axis)
  /* Run in float32 only, with input 1 in float64. */
  {.name = "mul_mixed_dtypes_2x3_by_3", OP(mul), IN2(2, 1, {2, 3}, {3}), RANGE(-2, 2),
   .mixed = true},
  {.name = "matmul_mixed_dtypes_3x4_4x2", OP(matmul), IN2(2, 2, {3, 4}, {4, 2}), RANGE(-1, 1),
   .mixed = true},
};
/* clang-format on */

/* ---- the check ---- */

static unsigned rng_state = 2024;
static double uniform(void) { /* in [0, 1) */
  rng_state = rng_state * 1664525u + 1013904223u;
  return (rng_state >> 8) / 16777216.0;
}

static double loss_at(const vjp_case *c, vg_array *const *x, const vg_array *W) {
  vg_array *y = c->fwd(x, c);
  double L = 0;
  for (size_t i = 0; i < vg_size(y); i++) L += elem(W, i) * elem(y, i);
  vg_free(y);
  return L;
}

static void set_elem(vg_array *a, size_t i, double v) {
  if (vg_dtype_of(a) == VG_F64)
    vg_data_f64(a)[i] = v;
  else
    vg_data_f32(a)[i] = (float)v;
}

static bool arrays_equal(const vg_array *a, const vg_array *b, double tol) {
  if (!a || !b || vg_size(a) != vg_size(b)) return false;
  for (size_t i = 0; i < vg_size(a); i++)
    if (fabs(elem(a, i) - elem(b, i)) > tol * (1 + fabs(elem(a, i)))) return false;
  return true;
}

static void run_case(const vjp_case *c, bool f32) {
  char name[128];
  snprintf(name, sizeof name, "vjp_%s_%s", c->name, f32 ? "f32" : "f64");
  vg_array *x[2] = {NULL, NULL};
  for (int k = 0; k < c->nin; k++) {
    vg_dtype dt = f32 && !(c->mixed && k == 1) ? VG_F32 : VG_F64;
    x[k] = vg_zeros(c->ndim[k], c->shape[k], dt);
    for (size_t i = 0; i < vg_size(x[k]); i++) {
      double v = c->lo + (c->hi - c->lo) * uniform();
      /* On a quarter grid shifted by 0.1 (k = 0) or 0.2 (k = 1): never
       * within 0.1 of 0 or of the other operand. */
      if (c->kink_safe) v = floor(v * 4) / 4 + 0.1 * (k + 1);
      set_elem(x[k], i, v);
    }
  }
  vg_array *y = c->fwd(x, c);
  vg_array *W = vg_zeros(vg_ndim(y), vg_shape(y), VG_F64);
  for (size_t i = 0; i < vg_size(W); i++) vg_data_f64(W)[i] = 2 * uniform() - 1;

  vg_array *g[2] = {NULL, NULL};
  vg_array **slots[2] = {&g[0], c->nin > 1 ? &g[1] : NULL};
  c->vjp(x, c, y, W, slots);

  double h_rel = f32 ? 1e-2 : 1e-5, abs_tol = f32 ? 2e-3 : 1e-7, rel_tol = f32 ? 1e-2 : 1e-6;
  double worst = 0;
  char worst_at[160] = "";
  bool ok = true;
  for (int k = 0; k < c->nin; k++) {
    if (!g[k] || vg_size(g[k]) != vg_size(x[k]) || vg_dtype_of(g[k]) != vg_dtype_of(x[k]) ||
        vg_ndim(g[k]) != vg_ndim(x[k])) {
      ok = false;
      snprintf(worst_at, sizeof worst_at, "gradient %d missing or of the wrong shape/dtype", k);
      continue;
    }
    for (size_t i = 0; i < vg_size(x[k]); i++) {
      double v = elem(x[k], i), h = h_rel * fmax(1, fabs(v));
      set_elem(x[k], i, v + h);
      double up = elem(x[k], i), Lp = loss_at(c, x, W);
      set_elem(x[k], i, v - h);
      double down = elem(x[k], i), Lm = loss_at(c, x, W);
      set_elem(x[k], i, v);
      double numeric = (Lp - Lm) / (up - down), analytic = elem(g[k], i);
      double err = fabs(analytic - numeric);
      double allowed = abs_tol + rel_tol * fmax(fabs(analytic), fabs(numeric));
      if (err / allowed > worst) {
        worst = err / allowed;
        snprintf(worst_at, sizeof worst_at, "input %d element %zu: analytic %.10g numeric %.10g", k,
                 i, analytic, numeric);
      }
      if (err > allowed) ok = false;
    }
  }
  check(ok, name, "%s", worst_at);

  /* out = NULL: recomputed where needed, same result. */
  vg_array *h[2] = {NULL, NULL};
  vg_array **hslots[2] = {&h[0], c->nin > 1 ? &h[1] : NULL};
  c->vjp(x, c, NULL, W, hslots);
  snprintf(name, sizeof name, "vjp_%s_%s_out_null", c->name, f32 ? "f32" : "f64");
  check(arrays_equal(g[0], h[0], 1e-15) && (c->nin < 2 || arrays_equal(g[1], h[1], 1e-15)), name,
        "differs from the call with out");

  /* Accumulation: a second call into the same slots doubles them. */
  c->vjp(x, c, y, W, hslots);
  vg_array *two = vg_scalar(2), *g0x2 = vg_mul(g[0], two);
  bool doubled = arrays_equal(g0x2, h[0], 1e-6);
  vg_free(g0x2);
  if (c->nin > 1) {
    vg_array *g1x2 = vg_mul(g[1], two);
    doubled = doubled && arrays_equal(g1x2, h[1], 1e-6);
    vg_free(g1x2);
  }
  vg_free(two);
  snprintf(name, sizeof name, "vjp_%s_%s_accumulates", c->name, f32 ? "f32" : "f64");
  check(doubled, name, "second call did not add the same gradient");

  /* Only the last input's gradient wanted. */
  if (c->nin > 1) {
    vg_array *only = NULL;
    vg_array **oslots[2] = {NULL, &only};
    c->vjp(x, c, y, W, oslots);
    snprintf(name, sizeof name, "vjp_%s_%s_one_slot", c->name, f32 ? "f32" : "f64");
    check(arrays_equal(only, g[1], 1e-15), name, "differs when the other slot is NULL");
    vg_free(only);
  }
  for (int k = 0; k < 2; k++) {
    vg_free(x[k]);
    vg_free(g[k]);
    vg_free(h[k]);
  }
  vg_free(y);
  vg_free(W);
}

/* vg_accumulate (the reduction under every broadcasting VJP) on random
 * shapes: a gradient of shape `like` (random axes 1 or missing) receives a
 * contribution of the full shape, checked against a direct index sum. */
static void test_accumulate_random(void) {
  unsigned r = 99;
  int bad = -1;
  for (int trial = 0; trial < 400 && bad < 0; trial++) {
    int n = (int)((r = r * 1103515245 + 12345) >> 16) % 6, full[5], sl[5];
    for (int d = 0; d < n; d++) full[d] = 1 + (int)((r = r * 1103515245 + 12345) >> 16) % 4;
    int nl = n - (int)((r = r * 1103515245 + 12345) >> 16) % (n + 1);
    for (int d = 0; d < nl; d++)
      sl[d] = ((r = r * 1103515245 + 12345) >> 17) & 1 ? 1 : full[n - nl + d];
    vg_array *like = vg_zeros(nl, sl, trial % 2 ? VG_F32 : VG_F64);
    vg_array *contrib = vg_zeros(n, full, VG_F64), *g = NULL;
    size_t size = vg_size(contrib);
    for (size_t i = 0; i < size; i++) vg_data_f64(contrib)[i] = (double)(i % 7) - 3;
    vg_accumulate(&g, like, contrib);
    vg_accumulate(&g, like, contrib); /* twice: the second adds */
    double want[1024] = {0};
    int idx[5] = {0};
    for (size_t i = 0; i < size; i++) {
      size_t off = 0;
      for (int d = 0; d < nl; d++)
        off = off * (size_t)sl[d] + (size_t)(sl[d] == 1 ? 0 : idx[n - nl + d]);
      want[off] += 2 * vg_data_f64(contrib)[i];
      for (int d = n - 1; d >= 0 && ++idx[d] == full[d]; d--) idx[d] = 0;
    }
    bool ok = g && vg_size(g) == vg_size(like) && vg_dtype_of(g) == vg_dtype_of(like);
    for (size_t i = 0; ok && i < vg_size(g); i++) ok = elem(g, i) == want[i];
    if (!ok) bad = trial;
    vg_free(g);
    vg_free(like);
    vg_free(contrib);
  }
  check(bad < 0, "accumulate_random_shapes_400", "trial %d differs from the direct sum", bad);
}

/* Conventions at kinks, which finite differences cannot check. */
static void test_kinks(void) {
  vg_array *a = vg_from_f64((double[]){1, 2, 0}, 1, (int[]){3});
  vg_array *b = vg_from_f64((double[]){1, 1, 3}, 1, (int[]){3});
  vg_array *g = vg_from_f64((double[]){1, 1, 1}, 1, (int[]){3});
  vg_array *ga = NULL, *gb = NULL;
  vg_maximum_vjp(a, b, NULL, g, &ga, &gb);
  check(vg_data_f64(ga)[0] == 0.5 && vg_data_f64(gb)[0] == 0.5 && vg_data_f64(ga)[1] == 1 &&
            vg_data_f64(gb)[1] == 0 && vg_data_f64(ga)[2] == 0 && vg_data_f64(gb)[2] == 1,
        "vjp_maximum_tie_splits", "got %g %g", vg_data_f64(ga)[0], vg_data_f64(gb)[0]);
  vg_array *gabs = NULL;
  vg_abs_vjp(a, NULL, g, &gabs);
  check(vg_data_f64(gabs)[2] == 0 && vg_data_f64(gabs)[0] == 1, "vjp_abs_at_zero_is_zero", "got %g",
        vg_data_f64(gabs)[2]);
  /* A one-element g_out of another shape is accepted for a 0-d result. */
  vg_array *s = vg_sum(a), *g1 = vg_from_f64((double[]){3}, 2, (int[]){1, 1});
  vg_array *gs = NULL;
  vg_sum_vjp(a, s, g1, &gs);
  check(vg_data_f64(gs)[0] == 3 && vg_data_f64(gs)[2] == 3, "vjp_one_element_gout", "got %g",
        vg_data_f64(gs)[0]);
  vg_array *acc = NULL;
  vg_array *big = vg_from_f64((double[]){1, 2, 3, 4, 5, 6}, 2, (int[]){2, 3});
  vg_accumulate(&acc, a, big); /* sums over the leading axis */
  check(vg_data_f64(acc)[0] == 5 && vg_data_f64(acc)[2] == 9 && vg_ndim(acc) == 1,
        "accumulate_reduces_broadcast", "got %g", vg_data_f64(acc)[0]);
  vg_free(big);
  vg_free(acc);
  vg_free(s);
  vg_free(g1);
  vg_free(gs);
  vg_free(a);
  vg_free(b);
  vg_free(g);
  vg_free(ga);
  vg_free(gb);
  vg_free(gabs);
}

int main(void) {
  long live = vg_live_arrays();
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (!cases[i].mixed) run_case(&cases[i], false);
    run_case(&cases[i], true);
  }
  test_kinks();
  test_accumulate_random();
  check(vg_live_arrays() == live, "vjp_tests_free_everything", "%ld arrays left",
        vg_live_arrays() - live);
  return finish();
}
