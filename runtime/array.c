/* array.c: vg_array's life (allocation, ownership, freeing), constructors,
 * readers, and error reporting. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vg_internal.h"

/* ---- errors ---- */

static void default_handler(const char *message, void *user) {
  (void)user;
  fprintf(stderr, "vgrad: error: %s\n", message);
  abort();
}

static vg_error_fn error_fn = default_handler;
static void *error_user;

/* Per thread, so concurrent failures do not mix their messages. */
static _Thread_local char last_message[512], first_message[512];
static _Thread_local bool have_last, have_first;

void vg_set_error_handler(vg_error_fn fn, void *user) {
  error_fn = fn ? fn : default_handler;
  error_user = fn ? user : NULL;
}

vg_error_fn vg_get_error_handler(void **user) {
  if (user) *user = error_user;
  return error_fn;
}

const char *vg_last_error(void) { return have_last ? last_message : NULL; }
const char *vg_first_error(void) { return have_first ? first_message : NULL; }
void vg_clear_error(void) { have_last = have_first = false; }

void vg__error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(last_message, sizeof last_message, fmt, ap);
  va_end(ap);
  have_last = true;
  if (!have_first) {
    memcpy(first_message, last_message, sizeof first_message);
    have_first = true;
  }
  error_fn(last_message, error_user);
}

vg_shape_text vg__shape_text(int ndim, const int *shape) {
  vg_shape_text t;
  size_t len = 0;
  t.s[len++] = '(';
  for (int d = 0; d < ndim && d < VG_MAX_DIMS; d++)
    len += (size_t)snprintf(t.s + len, sizeof t.s - len, d ? ",%d" : "%d", shape[d]);
  snprintf(t.s + len, sizeof t.s - len, ndim == 1 ? ",)" : ")");
  return t;
}

bool vg__check(const vg_array *a, const char *fn, const char *name) {
  if (!a) {
    vg__error("%s: %s is NULL", fn, name);
    return false;
  }
  /* Best effort: catches most uses of a freed array even without a sanitizer. */
  if (a->magic != VG_MAGIC) {
    vg__error("%s: %s is not a live vg_array (already freed?)", fn, name);
    return false;
  }
  return true;
}

/* ---- allocation and ownership ---- */

#if !defined(__STDC_NO_ATOMICS__)
#include <stdatomic.h>
static atomic_long live_count;
#define LIVE_ADD(d) atomic_fetch_add_explicit(&live_count, (d), memory_order_relaxed)
#define LIVE_GET() atomic_load_explicit(&live_count, memory_order_relaxed)
#else
static long live_count;
#define LIVE_ADD(d) (live_count += (d))
#define LIVE_GET() live_count
#endif

long vg_live_arrays(void) { return LIVE_GET(); }

/* Elements start 64 bytes into the block, aligned for vector loads. */
enum { ALIGN = 64, HEADER = (sizeof(vg_array) + ALIGN - 1) / ALIGN * ALIGN };

vg_array *vg__alloc(int ndim, const int *shape, vg_dtype dtype, bool temporary, const char *fn) {
  if (ndim < 0 || ndim > VG_MAX_DIMS) {
    vg__error("%s: ndim %d is out of range (0 to %d)", fn, ndim, VG_MAX_DIMS);
    return NULL;
  }
  if (ndim > 0 && !shape) {
    vg__error("%s: shape is NULL but ndim is %d", fn, ndim);
    return NULL;
  }
  if (dtype != VG_F64 && dtype != VG_F32) {
    vg__error("%s: unknown dtype %d", fn, (int)dtype);
    return NULL;
  }
  size_t elsize = vg__elsize(dtype), size = 1;
  size_t max_size = (SIZE_MAX - 2 * ALIGN - HEADER) / elsize;
  for (int d = 0; d < ndim; d++) {
    if (shape[d] < 0) {
      vg__error("%s: negative dimension in shape %s", fn, vg__shape_text(ndim, shape).s);
      return NULL;
    }
    if (shape[d] > 0 && size > max_size / (size_t)shape[d]) {
      vg__error("%s: shape %s is too large", fn, vg__shape_text(ndim, shape).s);
      return NULL;
    }
    size *= (size_t)shape[d];
  }
  size_t bytes = (HEADER + size * elsize + ALIGN - 1) / ALIGN * ALIGN;
  vg_array *a = aligned_alloc(ALIGN, bytes);
  if (!a) {
    vg__error("%s: out of memory for an array of shape %s", fn, vg__shape_text(ndim, shape).s);
    return NULL;
  }
  a->magic = VG_MAGIC;
  a->ndim = ndim;
  for (int d = 0; d < VG_MAX_DIMS; d++) a->shape[d] = d < ndim ? shape[d] : 0;
  a->size = size;
  a->dtype = dtype;
  a->refs = 1;
  a->temporary = temporary;
  a->data = (char *)a + HEADER;
  LIVE_ADD(1);
  return a;
}

vg_array *vg__alloc_zeros(int ndim, const int *shape, vg_dtype dtype, bool temporary,
                          const char *fn) {
  vg_array *a = vg__alloc(ndim, shape, dtype, temporary, fn);
  if (a) memset(a->data, 0, a->size * vg__elsize(dtype)); /* all-zero bits is 0.0 */
  return a;
}

vg_array *vg_keep(vg_array *a) {
  if (!vg__check(a, "vg_keep", "the array")) return NULL;
  if (a->temporary)
    a->temporary = false; /* the expression's reference becomes the caller's */
  else
    a->refs++;
  return a;
}

vg_array *vg_retain(vg_array *a) { return vg_keep(a); }

void vg_free(vg_array *a) {
  if (!a) return;
  if (!vg__check(a, "vg_free", "the array")) return;
  if (--a->refs > 0) return;
  a->magic = 0;
  free(a);
  LIVE_ADD(-1);
}

void vg_release(vg_array *a) { vg_free(a); }

int vg_is_temporary(const vg_array *a) {
  return vg__check(a, "vg_is_temporary", "the array") && a->temporary;
}

void vg__consume(vg_array *a) {
  if (a && a->magic == VG_MAGIC && a->temporary) vg_free(a);
}

vg_array vg__view(const vg_array *a, int ndim, const int *shape) {
  vg_array v = *a;
  v.ndim = ndim;
  for (int d = 0; d < VG_MAX_DIMS; d++) v.shape[d] = d < ndim ? shape[d] : 0;
  v.refs = 1;
  v.temporary = false;
  return v;
}

const vg_array *vg__as_f64(const vg_array *a, const char *fn) {
  if (a->dtype == VG_F64) return a;
  vg_array *c = vg__alloc(a->ndim, a->shape, VG_F64, true, fn);
  if (!c) return NULL;
  const float *x = a->data;
  double *y = c->data;
  for (size_t i = 0; i < a->size; i++) y[i] = x[i];
  return c;
}

void vg__done_f64(const vg_array *converted, const vg_array *original) {
  if (converted && converted != original) vg_free((vg_array *)converted);
}

bool vg__same_shape(int ndim, const int *shape, const vg_array *a) {
  if (a->ndim != ndim) return false;
  for (int d = 0; d < ndim; d++)
    if (a->shape[d] != shape[d]) return false;
  return true;
}

bool vg__check_gout(const vg_array *g_out, int ndim, const int *shape, const char *fn) {
  if (!vg__check(g_out, fn, "g_out")) return false;
  if (vg__same_shape(ndim, shape, g_out)) return true;
  size_t size = 1;
  for (int d = 0; d < ndim; d++) size *= (size_t)shape[d];
  if (size == 1 && g_out->size == 1) return true;
  vg__error("%s: g_out has shape %s but the result has shape %s", fn, VG_SHAPE(g_out),
            vg__shape_text(ndim, shape).s);
  return false;
}

bool vg__broadcast(int na, const int *sa, int nb, const int *sb, int *ndim, int *shape) {
  int n = na > nb ? na : nb;
  for (int d = 0; d < n; d++) {
    /* Right-aligned: a missing leading dimension acts as 1. */
    int da = d - (n - na) >= 0 ? sa[d - (n - na)] : 1;
    int db = d - (n - nb) >= 0 ? sb[d - (n - nb)] : 1;
    if (da != db && da != 1 && db != 1) return false;
    shape[d] = da == 1 ? db : da;
  }
  *ndim = n;
  return true;
}

bool vg__out_ok(const vg_array *out, int ndim, const int *shape, const char *fn) {
  if (!out) return true;
  if (!vg__check(out, fn, "out")) return false;
  if (vg__same_shape(ndim, shape, out)) return true;
  vg__error("%s: out has shape %s but the result has shape %s", fn, VG_SHAPE(out),
            vg__shape_text(ndim, shape).s);
  return false;
}

bool vg__slot_ok(vg_array **g, const vg_array *like, const char *fn) {
  if (!g || !*g) return true;
  if (!vg__check(*g, fn, "the gradient")) return false;
  if (vg__same_shape(like->ndim, like->shape, *g)) return true;
  vg__error("%s: the gradient has shape %s but its array has shape %s", fn, VG_SHAPE(*g),
            VG_SHAPE(like));
  return false;
}

bool vg__grad_slot(vg_array **g, const vg_array *like, const char *fn) {
  if (!*g) {
    *g = vg__alloc_zeros(like->ndim, like->shape, like->dtype, false, fn);
    return *g != NULL;
  }
  if (!vg__check(*g, fn, "the gradient")) return false;
  if (!vg__same_shape(like->ndim, like->shape, *g)) {
    vg__error("%s: the gradient has shape %s but its array has shape %s", fn, VG_SHAPE(*g),
              VG_SHAPE(like));
    return false;
  }
  return true;
}

/* ---- constructors ---- */

vg_array *vg_from_f64(const double *data, int ndim, const int *shape) {
  vg_array *a = vg__alloc(ndim, shape, VG_F64, false, "vg_from_f64");
  if (!a) return NULL;
  if (a->size > 0 && !data) {
    vg__error("vg_from_f64: data is NULL for shape %s", VG_SHAPE(a));
    vg_free(a);
    return NULL;
  }
  if (a->size > 0) memcpy(a->data, data, a->size * sizeof(double));
  return a;
}

vg_array *vg_from_f32(const float *data, int ndim, const int *shape) {
  vg_array *a = vg__alloc(ndim, shape, VG_F32, false, "vg_from_f32");
  if (!a) return NULL;
  if (a->size > 0 && !data) {
    vg__error("vg_from_f32: data is NULL for shape %s", VG_SHAPE(a));
    vg_free(a);
    return NULL;
  }
  if (a->size > 0) memcpy(a->data, data, a->size * sizeof(float));
  return a;
}

vg_array *vg_scalar(double value) {
  vg_array *a = vg__alloc(0, NULL, VG_F64, false, "vg_scalar");
  if (a) *(double *)a->data = value;
  return a;
}

vg_array *vg_zeros(int ndim, const int *shape, vg_dtype dtype) {
  return vg__alloc_zeros(ndim, shape, dtype, false, "vg_zeros");
}

static void fill(vg_array *a, double value) {
  if (a->dtype == VG_F64)
    for (size_t i = 0; i < a->size; i++) ((double *)a->data)[i] = value;
  else
    for (size_t i = 0; i < a->size; i++) ((float *)a->data)[i] = (float)value;
}

vg_array *vg_full(int ndim, const int *shape, double value, vg_dtype dtype) {
  vg_array *a = vg__alloc(ndim, shape, dtype, false, "vg_full");
  if (a) fill(a, value);
  return a;
}

/* ---- derived arrays ---- */

vg_array *vg_zeros_like(vg_array *a) {
  if (!vg__check(a, "vg_zeros_like", "a")) return NULL;
  vg_array *z = vg__alloc_zeros(a->ndim, a->shape, a->dtype, true, "vg_zeros_like");
  vg__consume(a);
  return z;
}

vg_array *vg_astype(vg_array *a, vg_dtype dtype) {
  if (!vg__check(a, "vg_astype", "a")) return NULL;
  if (a->temporary && a->dtype == dtype) return a; /* already a fresh copy */
  vg_array *c = vg__alloc(a->ndim, a->shape, dtype, true, "vg_astype");
  if (c) {
    if (a->dtype == dtype)
      memcpy(c->data, a->data, a->size * vg__elsize(dtype));
    else if (dtype == VG_F64)
      for (size_t i = 0; i < a->size; i++) ((double *)c->data)[i] = ((const float *)a->data)[i];
    else
      for (size_t i = 0; i < a->size; i++)
        ((float *)c->data)[i] = (float)((const double *)a->data)[i];
  }
  vg__consume(a);
  return c;
}

vg_array *vg_copy(vg_array *a) {
  if (!vg__check(a, "vg_copy", "a")) return NULL;
  return vg_astype(a, a->dtype);
}

/* ---- readers ---- */

int vg_ndim(const vg_array *a) { return vg__check(a, "vg_ndim", "the array") ? a->ndim : -1; }

const int *vg_shape(const vg_array *a) {
  return vg__check(a, "vg_shape", "the array") ? a->shape : NULL;
}

size_t vg_size(const vg_array *a) { return vg__check(a, "vg_size", "the array") ? a->size : 0; }

vg_dtype vg_dtype_of(const vg_array *a) {
  return vg__check(a, "vg_dtype_of", "the array") ? a->dtype : VG_F64;
}

double vg_item(const vg_array *a) {
  if (!vg__check(a, "vg_item", "the array")) return NAN;
  if (a->size != 1) {
    vg__error("vg_item: the array has shape %s (%zu elements), not one element", VG_SHAPE(a),
              a->size);
    return NAN;
  }
  return vg__load(a, 0);
}

double *vg_data_f64(vg_array *a) {
  if (!vg__check(a, "vg_data_f64", "the array")) return NULL;
  if (a->dtype != VG_F64) {
    vg__error("vg_data_f64: the array is float32 (use vg_data_f32)");
    return NULL;
  }
  return a->data;
}

float *vg_data_f32(vg_array *a) {
  if (!vg__check(a, "vg_data_f32", "the array")) return NULL;
  if (a->dtype != VG_F32) {
    vg__error("vg_data_f32: the array is float64 (use vg_data_f64)");
    return NULL;
  }
  return a->data;
}

static void print_level(FILE *f, const vg_array *a, int d, size_t *i) {
  if (d == a->ndim) {
    /* The shortest of 15 or 17 digits that reads back as the same value. */
    double v = vg__load(a, (*i)++);
    char buf[32];
    snprintf(buf, sizeof buf, "%.15g", v);
    if (strtod(buf, NULL) != v) snprintf(buf, sizeof buf, "%.17g", v);
    fputs(buf, f);
    return;
  }
  fputc('[', f);
  for (int j = 0; j < a->shape[d]; j++) {
    if (j) fputs(", ", f);
    print_level(f, a, d + 1, i);
  }
  fputc(']', f);
}

void vg_fprint(FILE *f, const vg_array *a) {
  if (!vg__check(a, "vg_fprint", "the array")) return;
  size_t i = 0;
  fputs("array(", f);
  print_level(f, a, 0, &i);
  fprintf(f, ", shape=%s, %s)\n", VG_SHAPE(a), a->dtype == VG_F64 ? "float64" : "float32");
}
