/* elementwise.c: broadcasting binary operations, unary operations, and their
 * vector-Jacobian products. */
#include <math.h>

#include "vg_internal.h"

/* ---- binary kernels ----
 * One run of n elements.  The output run is contiguous (s[0] == 1) in the
 * forward direction; the common stride patterns get their own loops so the
 * compiler can vectorise them. */

#define BINARY_KERNEL(NAME, T, EXPR)                                            \
  static void NAME(size_t n, void *const p[], const ptrdiff_t s[], void *ctx) { \
    (void)ctx;                                                                  \
    T *o = p[0];                                                                \
    const T *x = p[1], *y = p[2];                                               \
    if (s[0] == 1 && s[1] == 1 && s[2] == 1) {                                  \
      for (size_t i = 0; i < n; i++) {                                          \
        T a = x[i], b = y[i];                                                   \
        o[i] = (EXPR);                                                          \
      }                                                                         \
    } else if (s[0] == 1 && s[1] == 1 && s[2] == 0) {                           \
      T b = y[0];                                                               \
      for (size_t i = 0; i < n; i++) {                                          \
        T a = x[i];                                                             \
        o[i] = (EXPR);                                                          \
      }                                                                         \
    } else if (s[0] == 1 && s[1] == 0 && s[2] == 1) {                           \
      T a = x[0];                                                               \
      for (size_t i = 0; i < n; i++) {                                          \
        T b = y[i];                                                             \
        o[i] = (EXPR);                                                          \
      }                                                                         \
    } else {                                                                    \
      for (size_t i = 0; i < n; i++) {                                          \
        T a = x[(ptrdiff_t)i * s[1]], b = y[(ptrdiff_t)i * s[2]];               \
        o[(ptrdiff_t)i * s[0]] = (EXPR);                                        \
      }                                                                         \
    }                                                                           \
  }

#define BINARY_KERNELS(OP, EXPR_F64, EXPR_F32) \
  BINARY_KERNEL(OP##_f64, double, EXPR_F64)    \
  BINARY_KERNEL(OP##_f32, float, EXPR_F32)

/* float32 +,-,*,/ are correctly rounded in float, as in numpy. */
BINARY_KERNELS(add, a + b, a + b)
BINARY_KERNELS(sub, a - b, a - b)
BINARY_KERNELS(mul, (a) * (b), (a) * (b))
BINARY_KERNELS(div, a / b, a / b)
/* numpy.maximum: a NaN in either operand is the result. */
BINARY_KERNELS(max, (a >= b || isnan(a)) ? a : b, (a >= b || isnan(a)) ? a : b)
/* d max(a,b) / da: the derivative follows whichever operand max returned. */
BINARY_KERNELS(max_weight, (a > b || isnan(a)) ? 1.0 : (a == b ? 0.5 : 0.0),
               (a > b || isnan(a)) ? 1.0f : (a == b ? 0.5f : 0.0f))

static const vg_inner_fn binary_kernels[][2] = {
    [VG_OP_ADD] = {add_f64, add_f32}, [VG_OP_SUB] = {sub_f64, sub_f32},
    [VG_OP_MUL] = {mul_f64, mul_f32}, [VG_OP_DIV] = {div_f64, div_f32},
    [VG_OP_MAX] = {max_f64, max_f32}, [VG_OP_MAX_WEIGHT] = {max_weight_f64, max_weight_f32},
};

/* out = op(a, b) over out's shape (their broadcast); out may be a or b.
 * Mixed dtypes: out is float64 and the float32 operand is converted first. */
static bool binary_into(vg_binop op, vg_array *out, const vg_array *a, const vg_array *b,
                        const char *fn) {
  const vg_array *x = a->dtype == out->dtype ? a : vg__as_f64(a, fn);
  const vg_array *y = b->dtype == out->dtype ? b : vg__as_f64(b, fn);
  bool ok = x && y;
  if (ok) {
    vg_loop L;
    vg__loop_init(&L, 3, out->ndim, out->shape);
    vg__loop_broadcast(&L, 0, out->ndim, out->shape);
    vg__loop_broadcast(&L, 1, x->ndim, x->shape);
    vg__loop_broadcast(&L, 2, y->ndim, y->shape);
    void *base[3] = {out->data, x->data, y->data};
    size_t es = vg__elsize(out->dtype);
    size_t elsize[3] = {es, es, es};
    vg__loop_run(&L, base, elsize, binary_kernels[op][out->dtype], NULL);
  }
  vg__done_f64(x, a);
  vg__done_f64(y, b);
  return ok;
}

static bool broadcast_or_error(const vg_array *a, const vg_array *b, int *ndim, int *shape,
                               const char *fn) {
  if (vg__broadcast(a->ndim, a->shape, b->ndim, b->shape, ndim, shape)) return true;
  vg__error("%s: shapes %s and %s cannot be broadcast", fn, VG_SHAPE(a), VG_SHAPE(b));
  return false;
}

static vg_dtype promote(const vg_array *a, const vg_array *b) {
  return a->dtype == b->dtype ? a->dtype : VG_F64;
}

vg_array *vg__binary(vg_binop op, const vg_array *a, const vg_array *b, const char *fn) {
  int ndim, shape[VG_MAX_DIMS];
  if (!broadcast_or_error(a, b, &ndim, shape, fn)) return NULL;
  vg_array *out = vg__alloc(ndim, shape, promote(a, b), true, fn);
  if (out && !binary_into(op, out, a, b, fn)) {
    vg_free(out);
    out = NULL;
  }
  return out;
}

/* The public form: consumes temporary operands, and writes the result over
 * one of them when it has the result's shape and dtype. */
static vg_array *binary_op(vg_binop op, const char *fn, vg_array *a, vg_array *b) {
  bool ok_a = vg__check(a, fn, "a"), ok_b = vg__check(b, fn, "b");
  int ndim, shape[VG_MAX_DIMS];
  vg_array *out = NULL;
  if (ok_a && ok_b && broadcast_or_error(a, b, &ndim, shape, fn)) {
    vg_dtype dt = promote(a, b);
    if (a->temporary && a->dtype == dt && vg__same_shape(ndim, shape, a))
      out = a;
    else if (b->temporary && b->dtype == dt && vg__same_shape(ndim, shape, b))
      out = b;
    else
      out = vg__alloc(ndim, shape, dt, true, fn);
    if (out && !binary_into(op, out, a, b, fn)) {
      if (out != a && out != b) vg_free(out);
      out = NULL;
    }
  }
  if (ok_a && a != out) vg__consume(a);
  if (ok_b && b != out && b != a) vg__consume(b);
  return out;
}

vg_array *vg_add(vg_array *a, vg_array *b) { return binary_op(VG_OP_ADD, "vg_add", a, b); }
vg_array *vg_sub(vg_array *a, vg_array *b) { return binary_op(VG_OP_SUB, "vg_sub", a, b); }
vg_array *vg_mul(vg_array *a, vg_array *b) { return binary_op(VG_OP_MUL, "vg_mul", a, b); }
vg_array *vg_div(vg_array *a, vg_array *b) { return binary_op(VG_OP_DIV, "vg_div", a, b); }
vg_array *vg_maximum(vg_array *a, vg_array *b) { return binary_op(VG_OP_MAX, "vg_maximum", a, b); }

/* ---- binary VJPs ---- */

static bool binary_vjp_args(const char *fn, const vg_array *a, const vg_array *b,
                            const vg_array *out, const vg_array *g_out, vg_array **g_a,
                            vg_array **g_b) {
  int ndim, shape[VG_MAX_DIMS];
  if (!vg__check(a, fn, "a") || !vg__check(b, fn, "b")) return false;
  if (!broadcast_or_error(a, b, &ndim, shape, fn)) return false;
  return vg__out_ok(out, ndim, shape, fn) && vg__check_gout(g_out, ndim, shape, fn) &&
         vg__slot_ok(g_a, a, fn) && vg__slot_ok(g_b, b, fn);
}

void vg_add_vjp(const vg_array *a, const vg_array *b, const vg_array *out, const vg_array *g_out,
                vg_array **g_a, vg_array **g_b) {
  const char *fn = "vg_add_vjp";
  if (!binary_vjp_args(fn, a, b, out, g_out, g_a, g_b)) return;
  if (g_a) vg__accumulate(g_a, a, g_out, 1.0, fn);
  if (g_b) vg__accumulate(g_b, b, g_out, 1.0, fn);
}

void vg_sub_vjp(const vg_array *a, const vg_array *b, const vg_array *out, const vg_array *g_out,
                vg_array **g_a, vg_array **g_b) {
  const char *fn = "vg_sub_vjp";
  if (!binary_vjp_args(fn, a, b, out, g_out, g_a, g_b)) return;
  if (g_a) vg__accumulate(g_a, a, g_out, 1.0, fn);
  if (g_b) vg__accumulate(g_b, b, g_out, -1.0, fn);
}

void vg_mul_vjp(const vg_array *a, const vg_array *b, const vg_array *out, const vg_array *g_out,
                vg_array **g_a, vg_array **g_b) {
  const char *fn = "vg_mul_vjp";
  if (!binary_vjp_args(fn, a, b, out, g_out, g_a, g_b)) return;
  if (g_a) vg__accumulate_take(g_a, a, vg__binary(VG_OP_MUL, g_out, b, fn), 1.0, fn);
  if (g_b) vg__accumulate_take(g_b, b, vg__binary(VG_OP_MUL, g_out, a, fn), 1.0, fn);
}

void vg_div_vjp(const vg_array *a, const vg_array *b, const vg_array *out, const vg_array *g_out,
                vg_array **g_a, vg_array **g_b) {
  const char *fn = "vg_div_vjp";
  if (!binary_vjp_args(fn, a, b, out, g_out, g_a, g_b)) return;
  /* d(a/b) = g/b da - (g/b)(a/b) db; two divisions rather than b*b, which
   * overflows sooner. */
  vg_array *g_over_b = vg__binary(VG_OP_DIV, g_out, b, fn);
  if (!g_over_b) return;
  if (g_b) {
    vg_array *t = vg__binary(VG_OP_MUL, g_over_b, a, fn);
    if (t) vg__accumulate_take(g_b, b, vg__binary(VG_OP_DIV, t, b, fn), -1.0, fn);
    vg_free(t);
  }
  if (g_a)
    vg__accumulate_take(g_a, a, g_over_b, 1.0, fn);
  else
    vg_free(g_over_b);
}

void vg_maximum_vjp(const vg_array *a, const vg_array *b, const vg_array *out,
                    const vg_array *g_out, vg_array **g_a, vg_array **g_b) {
  const char *fn = "vg_maximum_vjp";
  if (!binary_vjp_args(fn, a, b, out, g_out, g_a, g_b)) return;
  vg_array *w = vg__binary(VG_OP_MAX_WEIGHT, a, b, fn);
  vg_array *to_a = w ? vg__binary(VG_OP_MUL, g_out, w, fn) : NULL;
  vg_free(w);
  if (!to_a) return;
  if (g_b) vg__accumulate_take(g_b, b, vg__binary(VG_OP_SUB, g_out, to_a, fn), 1.0, fn);
  if (g_a)
    vg__accumulate_take(g_a, a, to_a, 1.0, fn);
  else
    vg_free(to_a);
}

/* ---- unary operations ----
 * Evaluated in double and rounded once, so float32 results are as accurate
 * as float32 can hold. */

typedef enum { NEG, SQUARE, SQRT, EXP, LOG, ABS, TANH, SIN, COS } unop;

typedef void (*unary_fn)(size_t n, void *out, const void *in);

#define UNARY_KERNEL(NAME, T, EXPR)                       \
  static void NAME(size_t n, void *out, const void *in) { \
    T *o = out;                                           \
    const T *in_ = in;                                    \
    for (size_t i = 0; i < n; i++) {                      \
      double x = in_[i];                                  \
      o[i] = (T)(EXPR);                                   \
    }                                                     \
  }
#define UNARY_KERNELS(OP, EXPR)        \
  UNARY_KERNEL(OP##_f64, double, EXPR) \
  UNARY_KERNEL(OP##_f32, float, EXPR)

UNARY_KERNELS(neg, -x)
UNARY_KERNELS(square, (x) * (x))
UNARY_KERNELS(sqrt, sqrt(x))
UNARY_KERNELS(exp, exp(x))
UNARY_KERNELS(log, log(x))
UNARY_KERNELS(abs, fabs(x))
UNARY_KERNELS(tanh, tanh(x))
UNARY_KERNELS(sin, sin(x))
UNARY_KERNELS(cos, cos(x))

static const unary_fn unary_kernels[][2] = {
    [NEG] = {neg_f64, neg_f32},    [SQUARE] = {square_f64, square_f32},
    [SQRT] = {sqrt_f64, sqrt_f32}, [EXP] = {exp_f64, exp_f32},
    [LOG] = {log_f64, log_f32},    [ABS] = {abs_f64, abs_f32},
    [TANH] = {tanh_f64, tanh_f32}, [SIN] = {sin_f64, sin_f32},
    [COS] = {cos_f64, cos_f32},
};

static vg_array *unary_op(unop op, const char *fn, vg_array *a) {
  if (!vg__check(a, fn, "a")) return NULL;
  /* A temporary operand is not needed afterwards: compute in place. */
  vg_array *out = a->temporary ? a : vg__alloc(a->ndim, a->shape, a->dtype, true, fn);
  if (out) unary_kernels[op][a->dtype](a->size, out->data, a->data);
  return out;
}

vg_array *vg_neg(vg_array *a) { return unary_op(NEG, "vg_neg", a); }
vg_array *vg_square(vg_array *a) { return unary_op(SQUARE, "vg_square", a); }
vg_array *vg_sqrt(vg_array *a) { return unary_op(SQRT, "vg_sqrt", a); }
vg_array *vg_exp(vg_array *a) { return unary_op(EXP, "vg_exp", a); }
vg_array *vg_log(vg_array *a) { return unary_op(LOG, "vg_log", a); }
vg_array *vg_abs(vg_array *a) { return unary_op(ABS, "vg_abs", a); }
vg_array *vg_tanh(vg_array *a) { return unary_op(TANH, "vg_tanh", a); }
vg_array *vg_sin(vg_array *a) { return unary_op(SIN, "vg_sin", a); }
vg_array *vg_cos(vg_array *a) { return unary_op(COS, "vg_cos", a); }

/* ---- unary VJPs: contribution = g * f'(x), written with y = f(x) where
 * that is cheaper; evaluated in double. ---- */

typedef void (*deriv_fn)(size_t n, double *c, const double *xs, const double *ys, const double *gs);

#define DERIV_KERNEL(NAME, EXPR)                                                                \
  static void NAME(size_t n, double *c, const double *xs, const double *ys, const double *gs) { \
    for (size_t i = 0; i < n; i++) {                                                            \
      double x = xs[i], y = ys ? ys[i] : 0.0, g = gs[i];                                        \
      (void)x;                                                                                  \
      (void)y;                                                                                  \
      c[i] = (EXPR);                                                                            \
    }                                                                                           \
  }

DERIV_KERNEL(d_neg, -g)
DERIV_KERNEL(d_square, 2.0 * x * g)
DERIV_KERNEL(d_sqrt, g / (2.0 * y))
DERIV_KERNEL(d_exp, (g) * (y))
DERIV_KERNEL(d_log, g / x)
DERIV_KERNEL(d_abs, x > 0 ? g : (x < 0 ? -g : 0.0))
DERIV_KERNEL(d_tanh, (g) * (1.0 - y * y))
DERIV_KERNEL(d_sin, cos(x) * g)
DERIV_KERNEL(d_cos, -sin(x) * g)

static const struct {
  deriv_fn fn;
  bool needs_out;
} derivs[] = {
    [NEG] = {d_neg, false},  [SQUARE] = {d_square, false}, [SQRT] = {d_sqrt, true},
    [EXP] = {d_exp, true},   [LOG] = {d_log, false},       [ABS] = {d_abs, false},
    [TANH] = {d_tanh, true}, [SIN] = {d_sin, false},       [COS] = {d_cos, false},
};

static void unary_vjp(unop op, const char *fn, const vg_array *a, const vg_array *out,
                      const vg_array *g_out, vg_array **g_a) {
  if (!vg__check(a, fn, "a")) return;
  if (!vg__out_ok(out, a->ndim, a->shape, fn)) return;
  if (!vg__check_gout(g_out, a->ndim, a->shape, fn) || !vg__slot_ok(g_a, a, fn) || !g_a) return;

  const vg_array *x = vg__as_f64(a, fn), *g = vg__as_f64(g_out, fn), *y = NULL;
  vg_array *y_new = NULL, *contrib = NULL;
  if (x && g && derivs[op].needs_out) {
    if (out) {
      y = vg__as_f64(out, fn);
    } else { /* recompute f(a) in a's dtype, exactly as the forward call did */
      vg_array *fa = vg__alloc(a->ndim, a->shape, a->dtype, true, fn);
      if (fa) {
        unary_kernels[op][a->dtype](a->size, fa->data, a->data);
        y = vg__as_f64(fa, fn);
        if (y != fa) vg_free(fa);
        y_new = (vg_array *)y;
      }
    }
  }
  if (x && g && (y || !derivs[op].needs_out))
    contrib = vg__alloc(a->ndim, a->shape, VG_F64, true, fn);
  if (contrib) {
    derivs[op].fn(a->size, contrib->data, x->data, y ? y->data : NULL, g->data);
    vg__accumulate_take(g_a, a, contrib, 1.0, fn);
  }
  if (y_new)
    vg_free(y_new);
  else
    vg__done_f64(y, out);
  vg__done_f64(x, a);
  vg__done_f64(g, g_out);
}

#define UNARY_VJP(NAME, OP)                                                           \
  void vg_##NAME##_vjp(const vg_array *a, const vg_array *out, const vg_array *g_out, \
                       vg_array **g_a) {                                              \
    unary_vjp(OP, "vg_" #NAME "_vjp", a, out, g_out, g_a);                            \
  }

UNARY_VJP(neg, NEG)
UNARY_VJP(square, SQUARE)
UNARY_VJP(sqrt, SQRT)
UNARY_VJP(exp, EXP)
UNARY_VJP(log, LOG)
UNARY_VJP(abs, ABS)
UNARY_VJP(tanh, TANH)
UNARY_VJP(sin, SIN)
UNARY_VJP(cos, COS)
