/* vg_internal.h: private to libvgrad's own .c files (not included by
 * vgrad.h): the vg_array struct, errors, allocation, and the strided
 * n-dimensional loop every elementwise kernel runs in. */
#ifndef VG_INTERNAL_H
#define VG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vgrad.h"

#define VG_MAGIC 0x76677261u /* "vgra": a live array */

struct vg_array {
  unsigned magic; /* VG_MAGIC while alive; cleared by vg_free */
  int ndim;
  int shape[VG_MAX_DIMS];
  size_t size; /* product of shape */
  vg_dtype dtype;
  int refs;       /* owned references, plus 1 while temporary */
  bool temporary; /* result of an operation not yet kept or consumed; refs == 1 */
  void *data;     /* follows the header in the same allocation (or, for a
                     stack-made view, points into another array) */
};

/* ---- errors (array.c) ---- */

void vg__error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* "(4,2)", "(3,)", "()": numpy's spelling. */
typedef struct {
  char s[8 * 24];
} vg_shape_text;
vg_shape_text vg__shape_text(int ndim, const int *shape);
#define VG_SHAPE(a) (vg__shape_text((a)->ndim, (a)->shape).s)

/* True if a is a live array; otherwise reports "fn: argument NAME is NULL"
 * or "... is not a live vg_array (freed?)". */
bool vg__check(const vg_array *a, const char *fn, const char *name);

/* ---- allocation (array.c) ---- */

/* A new array with uninitialised elements; NULL after reporting an error. */
vg_array *vg__alloc(int ndim, const int *shape, vg_dtype dtype, bool temporary, const char *fn);
vg_array *vg__alloc_zeros(int ndim, const int *shape, vg_dtype dtype, bool temporary,
                          const char *fn);
/* Frees a if it is a temporary (an operation consuming its operand). */
void vg__consume(vg_array *a);
/* A stack-made header viewing a's elements with another shape of the same
 * size; never freed. */
vg_array vg__view(const vg_array *a, int ndim, const int *shape);
/* A float64 version of a: a itself if it is one, else a new temporary. */
const vg_array *vg__as_f64(const vg_array *a, const char *fn);
/* Frees what vg__as_f64 allocated. */
void vg__done_f64(const vg_array *converted, const vg_array *original);

static inline size_t vg__elsize(vg_dtype t) { return t == VG_F64 ? sizeof(double) : sizeof(float); }
static inline double vg__load(const vg_array *a, size_t i) {
  return a->dtype == VG_F64 ? ((const double *)a->data)[i] : (double)((const float *)a->data)[i];
}
bool vg__same_shape(int ndim, const int *shape, const vg_array *a);
/* g_out may differ from the expected shape only when both have one element. */
bool vg__check_gout(const vg_array *g_out, int ndim, const int *shape, const char *fn);

/* numpy broadcasting of two shapes into (*ndim, shape); false if incompatible. */
bool vg__broadcast(int na, const int *sa, int nb, const int *sb, int *ndim, int *shape);

/* Accumulates scale * contrib into *g (see vg_accumulate). */
void vg__accumulate(vg_array **g, const vg_array *like, const vg_array *contrib, double scale,
                    const char *fn);
/* The same, also freeing contrib (an internal temporary), whose memory
 * becomes *g when it already has the right shape and dtype. */
void vg__accumulate_take(vg_array **g, const vg_array *like, vg_array *contrib, double scale,
                         const char *fn);
/* A VJP's `out` argument: NULL, or live with the result's shape. */
bool vg__out_ok(const vg_array *out, int ndim, const int *shape, const char *fn);
/* A VJP's output slot g, if wanted, is NULL or of like's shape.  Checked
 * before anything is written, so a failed call changes nothing. */
bool vg__slot_ok(vg_array **g, const vg_array *like, const char *fn);
/* *g allocated as zeros of like's shape if NULL; false if it has another shape. */
bool vg__grad_slot(vg_array **g, const vg_array *like, const char *fn);

/* ---- strided n-dimensional loops (loop.c) ---- */

#define VG_LOOP_MAX_OPS 3

/* Calls `inner` on runs of n elements; ptr[k] is operand k's first element
 * of the run and stride[k] its step, in elements (0 for a broadcast axis). */
typedef void (*vg_inner_fn)(size_t n, void *const ptr[], const ptrdiff_t stride[], void *ctx);

typedef struct {
  int ndim, nops;
  size_t shape[VG_MAX_DIMS];
  ptrdiff_t stride[VG_LOOP_MAX_OPS][VG_MAX_DIMS];
} vg_loop;

/* Iteration over `shape`; then give each operand's layout. */
void vg__loop_init(vg_loop *L, int nops, int ndim, const int *shape);
/* Operand k is a contiguous array of shape (ndim, shape), right-aligned with
 * the iteration shape and broadcast (stride 0) where its dimension is 1. */
void vg__loop_broadcast(vg_loop *L, int k, int ndim, const int *shape);
/* Operand k with explicit strides (in elements) per iteration axis. */
void vg__loop_strided(vg_loop *L, int k, const ptrdiff_t *stride);
void vg__loop_run(vg_loop *L, void *const base[], const size_t elsize[], vg_inner_fn inner,
                  void *ctx);

/* ---- internal non-consuming operations (elementwise.c) ---- */

typedef enum { VG_OP_ADD, VG_OP_SUB, VG_OP_MUL, VG_OP_DIV, VG_OP_MAX, VG_OP_MAX_WEIGHT } vg_binop;

/* A new temporary; arguments untouched.  VG_OP_MAX_WEIGHT is dmax/da:
 * 1 where a wins, 0 where b wins, 1/2 on ties. */
vg_array *vg__binary(vg_binop op, const vg_array *a, const vg_array *b, const char *fn);

/* ---- internal gemm (matmul.c) ---- */

typedef struct {
  const void *data;
  vg_dtype dtype;
  ptrdiff_t rs, cs; /* element (i, j) is at data[i * rs + j * cs] */
} vg_matref;

/* C (m x n, rows ldc apart, dtype ct) = A B, or += A B if accumulate. */
void vg__gemm(size_t m, size_t n, size_t k, vg_matref A, vg_matref B, void *C, vg_dtype ct,
              ptrdiff_t ldc, bool accumulate);

#endif /* VG_INTERNAL_H */
