/* omp_check.h: the parallel tests' checks beside fdcheck.h.
 *
 * omp_same_across_threads(name, n, run) runs run(out) (one gradient,
 * written to out[0..n)) with 1, 2 and 4 OpenMP threads and checks that
 * the three agree to within summation-order rounding:
 *
 *   |g_k - g_1| <= tol * (1 + max|g_1|),  tol 1e-12 (double), 1e-5 (float)
 *
 * (threads change the order in which atomic updates and reduction partial
 * sums are added, nothing else; a lost update or a wrong thread's tape is
 * off by a whole term).  omp_value(name, got, want) compares a value with
 * the original function's to the same tolerance (both sum in parallel). */
#ifndef OMP_CHECK_H
#define OMP_CHECK_H

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#include "fdcheck.h"

#define OMP_TOL (FD_IS_FLOAT ? 1e-5 : 1e-12)

typedef void (*omp_run_fn)(REAL *out);

static inline int omp_same_across_threads(const char *name, int n, omp_run_fn run) {
  static const int threads[] = {1, 2, 4};
  REAL *first = calloc((size_t)n, sizeof(REAL)), *again = calloc((size_t)n, sizeof(REAL));
  int bad = 0, saved = omp_get_max_threads();
  omp_set_num_threads(1);
  run(first);
  double scale = 0;
  for (int i = 0; i < n; i++)
    scale = fmax(scale, fabs((double)first[i]));
  for (int t = 1; t < 3; t++) {
    omp_set_num_threads(threads[t]);
    run(again);
    for (int i = 0; i < n; i++) {
      fd_checks++;
      if (fabs((double)again[i] - (double)first[i]) > OMP_TOL * (1 + scale)) {
        printf("FAIL %s[%d]: %d threads %.17g, 1 thread %.17g\n", name, i, threads[t], (double)again[i],
               (double)first[i]);
        fd_failures++;
        bad = 1;
      }
    }
  }
  omp_set_num_threads(saved);
  free(first);
  free(again);
  return !bad;
}

static inline int omp_value(const char *name, double got, double want) {
  fd_checks++;
  if (fabs(got - want) > OMP_TOL * (1 + fabs(want))) {
    printf("FAIL %s: value %.17g, original %.17g\n", name, got, want);
    fd_failures++;
    return 0;
  }
  return 1;
}

#endif
