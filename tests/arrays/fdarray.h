/* fdarray.h: fdcheck.h for drivers of array losses (vg_array).
 *
 * The driver keeps each input's elements in a REAL array it owns (so
 * fd_check can move them by +-h), and builds a vg_array from them for each
 * call: fa_array() uses vg_from_f64 when REAL is double and vg_from_f32
 * when it is float, so a float build differentiates float32 arrays.
 *
 * Gradients come back as arrays; fa_check_grad() checks the shape and
 * every element against central finite differences with fdcheck.h's steps
 * and tolerances (see there).  fa_exact() is for values known exactly
 * (small integers and halves, which every dtype represents).
 * fa_init() makes runtime errors mismatches instead of aborts; fa_value()
 * checks a returned one-element array (NULL is a mismatch).
 * fa_report() also fails when arrays are still alive (vg_live_arrays()),
 * so each driver checks that it and the generated code freed everything.
 *
 * Included by tests/golden/array_*.c (with -Itests) as "arrays/fdarray.h". */
#ifndef FDARRAY_H
#define FDARRAY_H

#include "fdcheck.h"
#include <vgrad.h>

/* A new owned array holding data[0..size), of the given shape, in REAL's dtype. */
static inline vg_array *fa_array(const REAL *data, int ndim, const int *shape) {
  const void *p = data;
  return FD_IS_FLOAT ? vg_from_f32((const float *)p, ndim, shape) : vg_from_f64((const double *)p, ndim, shape);
}

/* A runtime error (the default handler aborts): counted as a mismatch and
 * printed, so the driver goes on and reports what else is wrong.  The
 * failing call returns NULL (vgrad.h, Errors). */
static void fa_on_error(const char *message, void *user) {
  (void)user;
  fd_failures++;
  printf("MISMATCH vgrad error: %s\n", message);
}

/* Call first in main. */
static inline void fa_init(void) { vg_set_error_handler(fa_on_error, NULL); }

/* Element i of a float64 or float32 array, as a double. */
static inline double fa_get(vg_array *a, size_t i) {
  return vg_dtype_of(a) == VG_F64 ? vg_data_f64(a)[i] : (double)vg_data_f32(a)[i];
}

/* The value of a one-element array (the loss), which it then frees. */
static inline REAL fa_take(vg_array *a) {
  REAL v = (REAL)vg_item(a);
  vg_free(a);
  return v;
}

/* The value returned by a generated function (a one-element array, or
 * NULL after an error) against the original function's. */
static inline int fa_value(const char *name, vg_array *got, double want) {
  if (!got) {
    fd_checks++;
    fd_failures++;
    printf("MISMATCH %s: the generated function returned NULL\n", name);
    return 0;
  }
  return fd_value(name, vg_item(got), want);
}

/* Whether `a` is non-NULL with the given shape; prints a mismatch if not. */
static inline int fa_shape(const char *name, vg_array *a, int ndim, const int *shape) {
  fd_checks++;
  int ok = a != NULL && vg_ndim(a) == ndim;
  for (int d = 0; ok && d < ndim; d++)
    ok = vg_shape(a)[d] == shape[d];
  if (ok)
    return 1;
  fd_failures++;
  printf("MISMATCH %s: ", name);
  if (!a) {
    printf("NULL array\n");
    return 0;
  }
  printf("shape (");
  for (int d = 0; d < vg_ndim(a); d++)
    printf(d ? ",%d" : "%d", vg_shape(a)[d]);
  printf("), expected (");
  for (int d = 0; d < ndim; d++)
    printf(d ? ",%d" : "%d", shape[d]);
  printf(")\n");
  return 0;
}

/* Checks gradient g (shape ndim/shape) of loss() with respect to x[0..size). */
static inline int fa_check_grad(const char *name, REAL *x, vg_array *g, int ndim, const int *shape,
                                fd_loss_fn loss) {
  if (!fa_shape(name, g, ndim, shape))
    return 0;
  int ok = 1;
  for (size_t i = 0; i < vg_size(g); i++)
    ok &= fd_check(name, (int)i, &x[i], fa_get(g, i), loss);
  return ok;
}

/* A value that must be exactly `want`. */
static inline int fa_exact(const char *name, int index, double got, double want) {
  fd_checks++;
  if (got == want)
    return 1;
  fd_failures++;
  printf("MISMATCH ");
  fd_print_name(name, index);
  printf(": got %.17g, expected exactly %.17g\n", got, want);
  return 0;
}

/* Every element of array `a` must be exactly want[i]. */
static inline int fa_exact_array(const char *name, vg_array *a, const double *want, size_t n) {
  int ok = 1;
  if (!a || vg_size(a) != n) {
    fd_checks++;
    fd_failures++;
    printf("MISMATCH %s: %s, expected %zu elements\n", name, a ? "wrong size" : "NULL array", n);
    return 0;
  }
  for (size_t i = 0; i < n; i++)
    ok &= fa_exact(name, (int)i, fa_get(a, i), want[i]);
  return ok;
}

/* Two numbers computed two ways (array code and scalar C): equal to within
 * 1e-12 (double) or 1e-5 (float) relative, as the order of the sums may
 * differ. */
static inline int fa_near(const char *name, int index, double got, double want) {
  double tol = FD_IS_FLOAT ? 1e-5 : 1e-12;
  fd_checks++;
  if (fabs(got - want) <= tol * fd_max(1.0, fd_max(fabs(got), fabs(want))))
    return 1;
  fd_failures++;
  printf("MISMATCH ");
  fd_print_name(name, index);
  printf(": got %.17g, expected %.17g\n", got, want);
  return 0;
}

/* fd_report, after checking that no array is left alive. */
static inline int fa_report(const char *test) {
  long live = vg_live_arrays();
  fd_checks++;
  if (live != 0) {
    fd_failures++;
    printf("MISMATCH vg_live_arrays(): %ld arrays were not freed\n", live);
  }
  return fd_report(test);
}

#endif
