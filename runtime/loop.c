/* loop.c: the strided n-dimensional loop under every broadcasting kernel,
 * and gradient accumulation (which sums over broadcast axes) built on it.
 *
 * Kernels only see one-dimensional runs.  Before running, axes of length 1
 * are dropped and neighbouring axes that are contiguous for every operand
 * are merged, so adding (1000,1000) arrays is one run of 10^6 elements and
 * (4,2)+(2,) is one run of 2 per row. */
#include <string.h>

#include "vg_internal.h"

void vg__loop_init(vg_loop *L, int nops, int ndim, const int *shape) {
  L->ndim = ndim;
  L->nops = nops;
  for (int d = 0; d < ndim; d++) L->shape[d] = (size_t)shape[d];
  memset(L->stride, 0, sizeof L->stride);
}

void vg__loop_broadcast(vg_loop *L, int k, int ndim, const int *shape) {
  ptrdiff_t step = 1;
  for (int d = L->ndim - 1, e = ndim - 1; d >= 0; d--, e--) {
    if (e < 0 || shape[e] == 1) {
      L->stride[k][d] = 0;
    } else {
      L->stride[k][d] = step;
      step *= shape[e];
    }
  }
}

void vg__loop_strided(vg_loop *L, int k, const ptrdiff_t *stride) {
  for (int d = 0; d < L->ndim; d++) L->stride[k][d] = stride[d];
}

/* Drops length-1 axes and merges each axis into the one before it when, for
 * every operand, stepping the outer axis equals running through the inner
 * one (row-major contiguity, or both broadcast); keeps at least one axis. */
static void coalesce(vg_loop *L) {
  int n = 0;
  for (int d = 0; d < L->ndim; d++) {
    if (L->shape[d] == 1) continue;
    if (n > 0) {
      bool mergeable = true;
      for (int k = 0; k < L->nops; k++)
        if (L->stride[k][n - 1] != L->stride[k][d] * (ptrdiff_t)L->shape[d]) mergeable = false;
      if (mergeable) {
        L->shape[n - 1] *= L->shape[d];
        for (int k = 0; k < L->nops; k++) L->stride[k][n - 1] = L->stride[k][d];
        continue;
      }
    }
    L->shape[n] = L->shape[d];
    for (int k = 0; k < L->nops; k++) L->stride[k][n] = L->stride[k][d];
    n++;
  }
  if (n == 0) {
    L->shape[0] = 1;
    for (int k = 0; k < L->nops; k++) L->stride[k][0] = 0;
    n = 1;
  }
  L->ndim = n;
}

void vg__loop_run(vg_loop *L, void *const base[], const size_t elsize[], vg_inner_fn inner,
                  void *ctx) {
  for (int d = 0; d < L->ndim; d++)
    if (L->shape[d] == 0) return;
  coalesce(L);
  int last = L->ndim - 1;
  size_t index[VG_MAX_DIMS] = {0};
  void *ptr[VG_LOOP_MAX_OPS];
  ptrdiff_t step[VG_LOOP_MAX_OPS][VG_MAX_DIMS]; /* bytes */
  ptrdiff_t inner_stride[VG_LOOP_MAX_OPS] = {0};
  for (int k = 0; k < L->nops; k++) {
    ptr[k] = base[k];
    inner_stride[k] = L->stride[k][last];
    for (int d = 0; d < L->ndim; d++) step[k][d] = L->stride[k][d] * (ptrdiff_t)elsize[k];
  }
  for (;;) {
    inner(L->shape[last], ptr, inner_stride, ctx);
    /* Odometer over the outer axes. */
    int d = last - 1;
    for (; d >= 0; d--) {
      for (int k = 0; k < L->nops; k++) ptr[k] = (char *)ptr[k] + step[k][d];
      if (++index[d] < L->shape[d]) break;
      for (int k = 0; k < L->nops; k++)
        ptr[k] = (char *)ptr[k] - step[k][d] * (ptrdiff_t)L->shape[d];
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

/* ---- accumulation: target += scale * src, reducing over target's stride-0 axes ---- */

#define ACCUMULATE_KERNEL(NAME, T)                                                             \
  static void NAME(size_t n, void *const p[], const ptrdiff_t s[], void *ctx) {                \
    double scale = *(const double *)ctx;                                                       \
    T *t = p[0];                                                                               \
    const T *x = p[1];                                                                         \
    if (s[0] == 0) { /* the whole run lands on one element: sum it in double */                \
      double acc = 0;                                                                          \
      for (size_t i = 0; i < n; i++) acc += x[(ptrdiff_t)i * s[1]];                            \
      t[0] = (T)(t[0] + scale * acc);                                                          \
    } else if (s[0] == 1 && s[1] == 1) {                                                       \
      for (size_t i = 0; i < n; i++) t[i] = (T)(t[i] + scale * x[i]);                          \
    } else {                                                                                   \
      for (size_t i = 0; i < n; i++)                                                           \
        t[(ptrdiff_t)i * s[0]] = (T)(t[(ptrdiff_t)i * s[0]] + scale * x[(ptrdiff_t)i * s[1]]); \
    }                                                                                          \
  }

ACCUMULATE_KERNEL(accumulate_f64, double)
ACCUMULATE_KERNEL(accumulate_f32, float)

/* *g (like's shape) += scale * src, where src's shape broadcasts with it. */
static void accumulate_into(vg_array *g, const vg_array *src, double scale, const char *fn) {
  int ndim, shape[VG_MAX_DIMS];
  if (!vg__broadcast(g->ndim, g->shape, src->ndim, src->shape, &ndim, shape)) {
    vg__error("%s: cannot accumulate shape %s into a gradient of shape %s", fn, VG_SHAPE(src),
              VG_SHAPE(g));
    return;
  }
  /* Kernels read src in g's dtype. */
  const vg_array *s = src;
  if (src->dtype != g->dtype) {
    vg_array *c = vg__alloc(src->ndim, src->shape, g->dtype, true, fn);
    if (!c) return;
    for (size_t i = 0; i < src->size; i++) {
      if (g->dtype == VG_F64)
        ((double *)c->data)[i] = vg__load(src, i);
      else
        ((float *)c->data)[i] = (float)vg__load(src, i);
    }
    s = c;
  }
  vg_loop L;
  vg__loop_init(&L, 2, ndim, shape);
  vg__loop_broadcast(&L, 0, g->ndim, g->shape);
  vg__loop_broadcast(&L, 1, s->ndim, s->shape);
  void *base[2] = {g->data, s->data};
  size_t elsize[2] = {vg__elsize(g->dtype), vg__elsize(g->dtype)};
  vg__loop_run(&L, base, elsize, g->dtype == VG_F64 ? accumulate_f64 : accumulate_f32, &scale);
  if (s != src) vg_free((vg_array *)s);
}

void vg__accumulate(vg_array **g, const vg_array *like, const vg_array *contrib, double scale,
                    const char *fn) {
  if (!vg__grad_slot(g, like, fn)) return;
  accumulate_into(*g, contrib, scale, fn);
}

void vg__accumulate_take(vg_array **g, const vg_array *like, vg_array *contrib, double scale,
                         const char *fn) {
  if (!contrib) return;
  if (!*g && scale == 1.0 && contrib->dtype == like->dtype &&
      vg__same_shape(like->ndim, like->shape, contrib)) {
    contrib->temporary = false; /* becomes the caller's gradient */
    *g = contrib;
    return;
  }
  vg__accumulate(g, like, contrib, scale, fn);
  vg_free(contrib);
}

void vg_accumulate(vg_array **g, const vg_array *like, const vg_array *contrib) {
  const char *fn = "vg_accumulate";
  if (!g) {
    vg__error("%s: g is NULL", fn);
    return;
  }
  if (!vg__check(like, fn, "like") || !vg__check(contrib, fn, "contrib")) return;
  int ndim, shape[VG_MAX_DIMS];
  if (!vg__broadcast(like->ndim, like->shape, contrib->ndim, contrib->shape, &ndim, shape)) {
    vg__error("%s: shapes %s and %s cannot be broadcast", fn, VG_SHAPE(like), VG_SHAPE(contrib));
    return;
  }
  vg__accumulate(g, like, contrib, 1.0, fn);
}
