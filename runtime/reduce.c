/* reduce.c: vg_sum, vg_mean, vg_sum_axis, vg_mean_axis and their VJPs.
 * Sums are accumulated in double, pairwise, so float32 inputs and long
 * arrays keep their accuracy (error grows like log n, not n). */
#include <stdlib.h>

#include "vg_internal.h"

enum { PAIRWISE_BLOCK = 128 };

#define PAIRWISE_SUM(NAME, T)                          \
  static double NAME(const T *x, size_t n) {           \
    if (n > PAIRWISE_BLOCK) {                          \
      size_t half = n / 2;                             \
      return NAME(x, half) + NAME(x + half, n - half); \
    }                                                  \
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;             \
    size_t i = 0;                                      \
    for (; i + 4 <= n; i += 4) {                       \
      s0 += x[i];                                      \
      s1 += x[i + 1];                                  \
      s2 += x[i + 2];                                  \
      s3 += x[i + 3];                                  \
    }                                                  \
    for (; i < n; i++) s0 += x[i];                     \
    return (s0 + s1) + (s2 + s3);                      \
  }

PAIRWISE_SUM(sum_f64, double)
PAIRWISE_SUM(sum_f32, float)

static double sum_all(const vg_array *a) {
  return a->dtype == VG_F64 ? sum_f64(a->data, a->size) : sum_f32(a->data, a->size);
}

static void store(vg_array *out, size_t i, double v) {
  if (out->dtype == VG_F64)
    ((double *)out->data)[i] = v;
  else
    ((float *)out->data)[i] = (float)v;
}

static vg_array *reduce_all(vg_array *a, bool mean, const char *fn) {
  if (!vg__check(a, fn, "a")) return NULL;
  vg_array *out = vg__alloc(0, NULL, a->dtype, true, fn);
  if (out) {
    double s = sum_all(a);
    store(out, 0, mean ? s / (double)a->size : s);
  }
  vg__consume(a);
  return out;
}

vg_array *vg_sum(vg_array *a) { return reduce_all(a, false, "vg_sum"); }
vg_array *vg_mean(vg_array *a) { return reduce_all(a, true, "vg_mean"); }

/* Normalises a numpy-style axis (negative counts from the end). */
static bool axis_ok(const vg_array *a, int *axis, const char *fn) {
  int ax = *axis < 0 ? *axis + a->ndim : *axis;
  if (ax < 0 || ax >= a->ndim) {
    vg__error("%s: axis %d is out of range for shape %s", fn, *axis, VG_SHAPE(a));
    return false;
  }
  *axis = ax;
  return true;
}

/* a viewed as (outer, n, inner) around the axis. */
typedef struct {
  size_t outer, n, inner;
  int ndim; /* of the result */
  int shape[VG_MAX_DIMS];
} axis_split;

static axis_split split_at(const vg_array *a, int axis) {
  axis_split s = {1, (size_t)a->shape[axis], 1, a->ndim - 1, {0}};
  for (int d = 0; d < a->ndim; d++) {
    if (d < axis) s.outer *= (size_t)a->shape[d];
    if (d > axis) s.inner *= (size_t)a->shape[d];
    if (d != axis) s.shape[d < axis ? d : d - 1] = a->shape[d];
  }
  return s;
}

/* out[o, i] = scale * sum_k a[o, k, i]; false if out of memory. */
static bool sum_over_axis(const vg_array *a, axis_split s, double scale, vg_array *out) {
  if (s.inner == 1) { /* the summed elements are contiguous */
    for (size_t o = 0; o < s.outer; o++) {
      double v = a->dtype == VG_F64 ? sum_f64((const double *)a->data + o * s.n, s.n)
                                    : sum_f32((const float *)a->data + o * s.n, s.n);
      store(out, o, v * scale);
    }
    return true;
  }
  /* Add whole rows of `inner` elements: contiguous, vectorisable. */
  double *acc = malloc(s.inner * sizeof *acc);
  if (!acc) return false;
  for (size_t o = 0; o < s.outer; o++) {
    for (size_t i = 0; i < s.inner; i++) acc[i] = 0;
    for (size_t k = 0; k < s.n; k++) {
      size_t row = (o * s.n + k) * s.inner;
      if (a->dtype == VG_F64) {
        const double *x = (const double *)a->data + row;
        for (size_t i = 0; i < s.inner; i++) acc[i] += x[i];
      } else {
        const float *x = (const float *)a->data + row;
        for (size_t i = 0; i < s.inner; i++) acc[i] += x[i];
      }
    }
    for (size_t i = 0; i < s.inner; i++) store(out, o * s.inner + i, acc[i] * scale);
  }
  free(acc);
  return true;
}

static vg_array *reduce_axis(vg_array *a, int axis, bool mean, const char *fn) {
  if (!vg__check(a, fn, "a")) return NULL;
  vg_array *out = NULL;
  if (axis_ok(a, &axis, fn)) {
    axis_split s = split_at(a, axis);
    out = vg__alloc(s.ndim, s.shape, a->dtype, true, fn);
    if (out && !sum_over_axis(a, s, mean ? 1.0 / (double)s.n : 1.0, out)) {
      vg__error("%s: out of memory", fn);
      vg_free(out);
      out = NULL;
    }
  }
  vg__consume(a);
  return out;
}

vg_array *vg_sum_axis(vg_array *a, int axis) { return reduce_axis(a, axis, false, "vg_sum_axis"); }
vg_array *vg_mean_axis(vg_array *a, int axis) { return reduce_axis(a, axis, true, "vg_mean_axis"); }

/* ---- VJPs: the gradient of a sum is g_out repeated over the summed
 * elements (divided by their count for a mean). ---- */

static void reduce_all_vjp(const vg_array *a, const vg_array *out, const vg_array *g_out,
                           vg_array **g_a, bool mean, const char *fn) {
  if (!vg__check(a, fn, "a") || !vg__out_ok(out, 0, NULL, fn) ||
      !vg__check_gout(g_out, 0, NULL, fn) || !vg__slot_ok(g_a, a, fn) || !g_a)
    return;
  vg_array g = vg__view(g_out, 0, NULL); /* one element, any shape: as 0-d */
  vg__accumulate(g_a, a, &g, mean ? 1.0 / (double)a->size : 1.0, fn);
}

void vg_sum_vjp(const vg_array *a, const vg_array *out, const vg_array *g_out, vg_array **g_a) {
  reduce_all_vjp(a, out, g_out, g_a, false, "vg_sum_vjp");
}

void vg_mean_vjp(const vg_array *a, const vg_array *out, const vg_array *g_out, vg_array **g_a) {
  reduce_all_vjp(a, out, g_out, g_a, true, "vg_mean_vjp");
}

static void reduce_axis_vjp(const vg_array *a, int axis, const vg_array *out, const vg_array *g_out,
                            vg_array **g_a, bool mean, const char *fn) {
  if (!vg__check(a, fn, "a") || !axis_ok(a, &axis, fn)) return;
  axis_split s = split_at(a, axis);
  if (!vg__out_ok(out, s.ndim, s.shape, fn) || !vg__check_gout(g_out, s.ndim, s.shape, fn) ||
      !vg__slot_ok(g_a, a, fn) || !g_a)
    return;
  /* g_out with the axis put back as 1 broadcasts along it. */
  int kept[VG_MAX_DIMS];
  for (int d = 0; d < a->ndim; d++) kept[d] = d == axis ? 1 : a->shape[d];
  vg_array g = vg__view(g_out, a->ndim, kept);
  vg__accumulate(g_a, a, &g, mean ? 1.0 / (double)s.n : 1.0, fn);
}

void vg_sum_axis_vjp(const vg_array *a, int axis, const vg_array *out, const vg_array *g_out,
                     vg_array **g_a) {
  reduce_axis_vjp(a, axis, out, g_out, g_a, false, "vg_sum_axis_vjp");
}

void vg_mean_axis_vjp(const vg_array *a, int axis, const vg_array *out, const vg_array *g_out,
                      vg_array **g_a) {
  reduce_axis_vjp(a, axis, out, g_out, g_a, true, "vg_mean_axis_vjp");
}
