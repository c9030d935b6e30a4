/* test_util.h: shared by the runtime test programs.  Each check prints one
 * line, "PASS name" or "FAIL name: why"; tests/runtime/run.sh counts them. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "vgrad.h"

static int n_pass, n_fail;

/* Records one check.  `why` (printf format) explains a failure. */
static inline void check(bool ok, const char *name, const char *why, ...) {
  if (ok) {
    printf("PASS %s\n", name);
    fflush(stdout);
    n_pass++;
    return;
  }
  va_list ap;
  va_start(ap, why);
  printf("FAIL %s: ", name);
  vprintf(why, ap);
  printf("\n");
  va_end(ap);
  fflush(stdout); /* keep the order if the program then crashes */
  n_fail++;
}

static inline int finish(void) {
  fflush(stdout);
  return n_fail ? 1 : 0;
}

/* ---- capturing errors instead of aborting ---- */

static int n_errors;
static char first_error[512];

static inline void capture_error(const char *message, void *user) {
  (void)user;
  if (n_errors++ == 0) snprintf(first_error, sizeof first_error, "%s", message);
}

static inline void capture_errors(void) {
  n_errors = 0;
  first_error[0] = 0;
  vg_clear_error();
  vg_set_error_handler(capture_error, NULL);
}

static inline void restore_errors(void) { vg_set_error_handler(NULL, NULL); }

/* ---- arrays ---- */

static inline bool shape_is(const vg_array *a, int ndim, const int *shape) {
  if (!a || vg_ndim(a) != ndim) return false;
  for (int d = 0; d < ndim; d++)
    if (vg_shape(a)[d] != shape[d]) return false;
  return true;
}

static inline double elem(const vg_array *a, size_t i) {
  /* vg_data_* take non-const arrays (they hand out writable elements). */
  vg_array *m = (vg_array *)a;
  return vg_dtype_of(a) == VG_F64 ? vg_data_f64(m)[i] : (double)vg_data_f32(m)[i];
}

/* a has the given shape and elements within tol (absolute + relative). */
static inline bool values_are(const vg_array *a, int ndim, const int *shape, const double *want,
                              double tol, char *why, size_t why_len) {
  if (!a) {
    snprintf(why, why_len, "result is NULL");
    return false;
  }
  if (!shape_is(a, ndim, shape)) {
    snprintf(why, why_len, "shape has ndim %d", vg_ndim(a));
    return false;
  }
  for (size_t i = 0; i < vg_size(a); i++) {
    double got = elem(a, i);
    bool same = got == want[i] || (isnan(want[i]) && isnan(got)) ||
                fabs(got - want[i]) <= tol * (1 + fabs(want[i]));
    if (!same) {
      snprintf(why, why_len, "element %zu is %.17g, want %.17g", i, got, want[i]);
      return false;
    }
  }
  return true;
}

/* Checks a result's shape and values, then frees it. */
#define CHECK_VALUES(name, result, ndim, shape_init, want_init, tol)                      \
  do {                                                                                    \
    int shape_[] = shape_init;                                                            \
    double want_[] = want_init;                                                           \
    char why_[256] = "";                                                                  \
    vg_array *r_ = (result);                                                              \
    check(values_are(r_, ndim, shape_, want_, tol, why_, sizeof why_), name, "%s", why_); \
    vg_free(r_);                                                                          \
  } while (0)

#define ARR(...) \
  { __VA_ARGS__ }

#endif
