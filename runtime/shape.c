/* shape.c: vg_reshape and vg_transpose, and their VJPs.  Results are always
 * new arrays (no views), so no array ever depends on another's lifetime. */
#include <limits.h>
#include <string.h>

#include "vg_internal.h"

/* ---- reshape ---- */

/* Resolves a requested shape (one entry may be -1) against `size` elements. */
static bool resolve_shape(const vg_array *a, int ndim, const int *shape, int *out, const char *fn) {
  if (ndim < 0 || ndim > VG_MAX_DIMS) {
    vg__error("%s: ndim %d is out of range (0 to %d)", fn, ndim, VG_MAX_DIMS);
    return false;
  }
  if (ndim > 0 && !shape) {
    vg__error("%s: shape is NULL but ndim is %d", fn, ndim);
    return false;
  }
  int unknown = -1;
  size_t known = 1;
  for (int d = 0; d < ndim; d++) {
    out[d] = shape[d];
    if (shape[d] == -1 && unknown < 0) {
      unknown = d;
    } else if (shape[d] < 0) {
      vg__error("%s: invalid shape %s (only one -1 is allowed, no other negative)", fn,
                vg__shape_text(ndim, shape).s);
      return false;
    } else {
      known *= (size_t)shape[d];
    }
  }
  if (unknown >= 0 && known > 0 && a->size % known == 0 && a->size / known <= (size_t)INT_MAX)
    out[unknown] = (int)(a->size / known);
  if ((unknown >= 0 && out[unknown] < 0) || (unknown < 0 && known != a->size) ||
      (unknown >= 0 && known * (size_t)out[unknown] != a->size)) {
    vg__error("%s: cannot reshape array of shape %s into shape %s", fn, VG_SHAPE(a),
              vg__shape_text(ndim, shape).s);
    return false;
  }
  return true;
}

vg_array *vg_reshape(vg_array *a, int ndim, const int *shape) {
  const char *fn = "vg_reshape";
  if (!vg__check(a, fn, "a")) return NULL;
  int resolved[VG_MAX_DIMS];
  vg_array *out = NULL;
  if (resolve_shape(a, ndim, shape, resolved, fn)) {
    if (a->temporary) { /* nobody else sees it: relabel it */
      vg_array v = vg__view(a, ndim, resolved);
      memcpy(a->shape, v.shape, sizeof a->shape);
      a->ndim = ndim;
      return a;
    }
    out = vg__alloc(ndim, resolved, a->dtype, true, fn);
    if (out) memcpy(out->data, a->data, a->size * vg__elsize(a->dtype));
  }
  vg__consume(a);
  return out;
}

void vg_reshape_vjp(const vg_array *a, int ndim, const int *shape, const vg_array *out,
                    const vg_array *g_out, vg_array **g_a) {
  const char *fn = "vg_reshape_vjp";
  int resolved[VG_MAX_DIMS];
  if (!vg__check(a, fn, "a") || !resolve_shape(a, ndim, shape, resolved, fn)) return;
  if (!vg__out_ok(out, ndim, resolved, fn) || !vg__check_gout(g_out, ndim, resolved, fn) ||
      !vg__slot_ok(g_a, a, fn) || !g_a)
    return;
  vg_array g = vg__view(g_out, a->ndim, a->shape);
  vg__accumulate(g_a, a, &g, 1.0, fn);
}

/* ---- transpose ---- */

/* (rows, cols) -> (cols, rows), in 32 x 32 tiles so both sides stay in cache. */
#define TRANSPOSE_2D(NAME, T)                                                    \
  static void NAME(const void *src, void *dst, size_t rows, size_t cols) {       \
    const T *in = src;                                                           \
    T *out = dst;                                                                \
    enum { TILE = 32 };                                                          \
    for (size_t i0 = 0; i0 < rows; i0 += TILE)                                   \
      for (size_t j0 = 0; j0 < cols; j0 += TILE) {                               \
        size_t i1 = i0 + TILE < rows ? i0 + TILE : rows;                         \
        size_t j1 = j0 + TILE < cols ? j0 + TILE : cols;                         \
        for (size_t i = i0; i < i1; i++)                                         \
          for (size_t j = j0; j < j1; j++) out[j * rows + i] = in[i * cols + j]; \
      }                                                                          \
  }

TRANSPOSE_2D(transpose_f64, double)
TRANSPOSE_2D(transpose_f32, float)

#define COPY_KERNEL(NAME, T)                                                        \
  static void NAME(size_t n, void *const p[], const ptrdiff_t s[], void *ctx) {     \
    (void)ctx;                                                                      \
    T *o = p[0];                                                                    \
    const T *x = p[1];                                                              \
    for (size_t i = 0; i < n; i++) o[(ptrdiff_t)i * s[0]] = x[(ptrdiff_t)i * s[1]]; \
  }

COPY_KERNEL(copy_f64, double)
COPY_KERNEL(copy_f32, float)

/* A new temporary holding a with its axes reversed; a untouched. */
static vg_array *transposed(const vg_array *a, const char *fn) {
  int n = a->ndim, shape[VG_MAX_DIMS];
  for (int d = 0; d < n; d++) shape[d] = a->shape[n - 1 - d];
  vg_array *out = vg__alloc(n, shape, a->dtype, true, fn);
  if (!out) return NULL;
  if (n <= 1) {
    memcpy(out->data, a->data, a->size * vg__elsize(a->dtype));
  } else if (n == 2) {
    (a->dtype == VG_F64 ? transpose_f64 : transpose_f32)(a->data, out->data, (size_t)a->shape[0],
                                                         (size_t)a->shape[1]);
  } else {
    /* Walk the output in order; read the input with its strides reversed. */
    ptrdiff_t in_stride[VG_MAX_DIMS], rev[VG_MAX_DIMS], step = 1;
    for (int d = n - 1; d >= 0; d--) {
      in_stride[d] = step;
      step *= a->shape[d];
    }
    for (int d = 0; d < n; d++) rev[d] = in_stride[n - 1 - d];
    vg_loop L;
    vg__loop_init(&L, 2, n, shape);
    vg__loop_broadcast(&L, 0, n, shape);
    vg__loop_strided(&L, 1, rev);
    void *base[2] = {out->data, a->data};
    size_t es = vg__elsize(a->dtype), elsize[2] = {es, es};
    vg__loop_run(&L, base, elsize, a->dtype == VG_F64 ? copy_f64 : copy_f32, NULL);
  }
  return out;
}

vg_array *vg_transpose(vg_array *a) {
  if (!vg__check(a, "vg_transpose", "a")) return NULL;
  if (a->ndim <= 1 && a->temporary) return a; /* nothing moves */
  vg_array *out = transposed(a, "vg_transpose");
  vg__consume(a);
  return out;
}

void vg_transpose_vjp(const vg_array *a, const vg_array *out, const vg_array *g_out,
                      vg_array **g_a) {
  const char *fn = "vg_transpose_vjp";
  if (!vg__check(a, fn, "a")) return;
  int n = a->ndim, shape[VG_MAX_DIMS];
  for (int d = 0; d < n; d++) shape[d] = a->shape[n - 1 - d];
  if (!vg__out_ok(out, n, shape, fn) || !vg__check_gout(g_out, n, shape, fn) ||
      !vg__slot_ok(g_a, a, fn) || !g_a)
    return;
  /* Reversing the axes again: g_out viewed with the result's shape. */
  vg_array g = vg__view(g_out, n, shape);
  vg__accumulate_take(g_a, a, transposed(&g, fn), 1.0, fn);
}
