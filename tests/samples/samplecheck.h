/* samplecheck.h: finite-difference checks for the samples' drivers
 * (tests/samples/NAME_check.c), on top of tests/fdcheck.h.
 *
 * fdcheck.h gives the central difference (fd_numeric: step
 * h = 1e-6 max(1, |x|) in double, 1e-2 max(1, |x|) in float), the value
 * check (fd_value: within 8 ulps of the original's) and the summary
 * (fd_report).  The samples are larger functions than the golden cases, and
 * their losses are sums of many terms, so the comparison here scales its
 * absolute part with the loss f at the point:
 *
 *   REAL double: pass if |g - n| <= 1e-6 max(|g|, |n|) + 1e-8 max(1, |f|)
 *   REAL float:  pass if |g - n| <= 2e-2 max(|g|, |n|) + 2e-3 max(1, |f|)
 *
 * (g the generated gradient, n the difference quotient).  In double the
 * quotient's rounding error is about DBL_EPSILON |f| / h = 2e-10 |f| and its
 * truncation error h^2 |f'''| / 6 about 2e-13 |f'''|, far inside both parts.
 * In float the rounding error of the loss, FLT_EPSILON |f| per operation
 * that touches a term of size |f|, divided by h = 1e-2, is about 1e-5 |f|
 * per operation; 2e-3 |f| leaves room for a few dozen such roundings, and
 * the relative part is fdcheck.h's.  A wrong derivative (a lost term, a
 * wrong sign, a factor of 2) is far outside either.
 *
 * sc_begin(loss) evaluates the loss at the current point and sets f for the
 * checks that follow; sc_check and sc_check_array compare one entry or a
 * whole array; sc_worst is the largest |g - n| / tolerance seen, printed by
 * sc_report to show the margin. */
#ifndef SAMPLECHECK_H
#define SAMPLECHECK_H

#include "fdcheck.h"

static double sc_fscale = 1.0; /* max(1, |f|) at the current point */
static double sc_worst = 0.0;

/* A deterministic uniform number in [lo, hi): test inputs without rand(). */
static inline double sc_uniform(double lo, double hi) {
  static unsigned long long state = 0x2545f4914f6cdd1dULL;
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  double u = (double)(state >> 11) / 9007199254740992.0; /* [0, 1) */
  return lo + (hi - lo) * u;
}

static inline void sc_fill(REAL *v, int n, double lo, double hi) {
  for (int i = 0; i < n; i++)
    v[i] = (REAL)sc_uniform(lo, hi);
}

static inline void sc_zero(REAL *v, int n) {
  for (int i = 0; i < n; i++)
    v[i] = 0;
}

/* Sets the loss scale for the following checks from loss() at the current
 * point, and returns that value. */
static inline REAL sc_begin(fd_loss_fn loss) {
  REAL f = loss();
  sc_fscale = fd_max(1.0, fabs((double)f));
  return f;
}

static inline double sc_tolerance(double analytic, double numeric) {
  double rel = FD_IS_FLOAT ? 2e-2 : 1e-6;
  double abs_part = FD_IS_FLOAT ? 2e-3 : 1e-8;
  return rel * fd_max(fabs(analytic), fabs(numeric)) + abs_part * sc_fscale;
}

/* Checks the generated derivative `analytic` of loss() with respect to *x. */
static inline int sc_check(const char *name, int index, REAL *x, double analytic, fd_loss_fn loss) {
  double numeric = fd_numeric(x, loss);
  double err = fabs(analytic - numeric), tol = sc_tolerance(analytic, numeric);
  fd_checks++;
  if (err <= tol) {
    if (err / tol > sc_worst)
      sc_worst = err / tol;
    return 1;
  }
  fd_failures++;
  printf("MISMATCH ");
  fd_print_name(name, index);
  printf(": generated %.10g, finite difference %.10g (at x = %.10g; |diff| %.3g > tolerance %.3g)\n",
         analytic, numeric, (double)*x, err, tol);
  return 0;
}

static inline int sc_check_array(const char *name, REAL *x, const REAL *analytic, int n, fd_loss_fn loss) {
  int ok = 1;
  for (int i = 0; i < n; i++)
    ok &= sc_check(name, i, &x[i], (double)analytic[i], loss);
  return ok;
}

static inline int sc_report(const char *test) {
  printf("%s: largest |generated - finite difference| / tolerance %.3g\n", test, sc_worst);
  return fd_report(test);
}

#endif
