/* fdcheck.h: central finite-difference checks for the test drivers.
 *
 * A driver keeps the inputs of the function under test in variables it
 * owns, and gives fd_check() a function `REAL loss(void)` that calls the
 * original (undifferentiated) function on them.  fd_check() moves one input
 * by +h and -h, evaluates the loss at both points, and compares
 *
 *     numeric = (loss(x + h) - loss(x - h)) / ((x + h) - (x - h))
 *
 * with the analytic derivative computed by the generated code.  The inputs
 * are perturbed in REAL, so a float function is evaluated in float.
 *
 * Step and tolerance (|g| the analytic, |n| the numeric derivative):
 *
 *   REAL double: h = 1e-6 * max(1, |x|)
 *                pass if |g - n| <= 1e-6 + 1e-5 * max(|g|, |n|)
 *   REAL float:  h = 1e-2 * max(1, |x|)
 *                pass if |g - n| <= 2e-3 + 2e-2 * max(|g|, |n|)
 *
 * float: rounding makes the difference quotient wrong by about
 * FLT_EPSILON * |f| / h (1e-5 |f|), and truncation by h^2 |f'''| / 6
 * (2e-5 |f'''|); 2e-2 relative plus 2e-3 absolute leaves a wide margin for
 * smooth functions of moderate size, while a wrong derivative (a missing
 * term, a wrong sign, a factor of 2) is still far outside it.  Test points
 * are chosen more than h away from kinks (fabs at 0, fmin ties, floor at
 * integers) so the difference quotient does not straddle one.
 *
 * Values (the loss and auxiliary outputs returned by a generated function)
 * must equal the original function's to within 8 units in the last place
 * of REAL (exactly, in practice: the forward sweep does the same
 * operations).
 *
 * Every mismatch is printed with its name, index, analytic and numeric
 * value; fd_report() prints a summary and returns the exit status. */
#ifndef FDCHECK_H
#define FDCHECK_H

#include <float.h>
#include <math.h>
#include <stdio.h>

#ifndef REAL
#define REAL double
#endif

#define FD_IS_FLOAT (sizeof(REAL) == sizeof(float))
#define FD_EPS (FD_IS_FLOAT ? (double)FLT_EPSILON : DBL_EPSILON)

static int fd_checks, fd_failures;

typedef REAL (*fd_loss_fn)(void);

static inline double fd_max(double a, double b) { return a > b ? a : b; }

static inline double fd_step(double x) { return (FD_IS_FLOAT ? 1e-2 : 1e-6) * fd_max(1.0, fabs(x)); }

static inline int fd_close(double analytic, double numeric) {
  double abs_tol = FD_IS_FLOAT ? 2e-3 : 1e-6;
  double rel_tol = FD_IS_FLOAT ? 2e-2 : 1e-5;
  double err = fabs(analytic - numeric);
  return err <= abs_tol + rel_tol * fd_max(fabs(analytic), fabs(numeric));
}

static inline void fd_print_name(const char *name, int index) {
  if (index >= 0)
    printf("%s[%d]", name, index);
  else
    printf("%s", name);
}

/* Central difference of loss() with respect to *x. */
static inline double fd_numeric(REAL *x, fd_loss_fn loss) {
  REAL x0 = *x;
  double h = fd_step((double)x0);
  REAL xp = (REAL)((double)x0 + h);
  REAL xm = (REAL)((double)x0 - h);
  *x = xp;
  double fp = (double)loss();
  *x = xm;
  double fm = (double)loss();
  *x = x0;
  return (fp - fm) / ((double)xp - (double)xm);
}

/* Checks the analytic derivative `analytic` of loss() with respect to *x.
 * `name` is the gradient output (e.g. "d_x"), `index` its element or -1
 * for a scalar.  Returns 1 if it passed, 0 if not. */
static inline int fd_check(const char *name, int index, REAL *x, double analytic, fd_loss_fn loss) {
  double numeric = fd_numeric(x, loss);
  fd_checks++;
  if (fd_close(analytic, numeric) && analytic == analytic)
    return 1;
  fd_failures++;
  printf("MISMATCH ");
  fd_print_name(name, index);
  printf(": analytic %.10g, numeric %.10g (at x = %.10g)\n", analytic, numeric, (double)*x);
  return 0;
}

/* Checks every element of an array input: x[0..n-1] against d_x[0..n-1]. */
static inline int fd_check_array(const char *name, REAL *x, const REAL *analytic, int n, fd_loss_fn loss) {
  int ok = 1;
  for (int i = 0; i < n; i++)
    ok &= fd_check(name, i, &x[i], (double)analytic[i], loss);
  return ok;
}

/* Checks a value returned by a generated function against the original's. */
static inline int fd_value(const char *name, double got, double want) {
  fd_checks++;
  if (got == want || fabs(got - want) <= 8 * FD_EPS * fd_max(fabs(got), fabs(want)))
    return 1;
  fd_failures++;
  printf("MISMATCH %s: generated %.17g, original %.17g\n", name, got, want);
  return 0;
}

/* A value that must be exactly the original's (a global the function
 * leaves behind, after the generated function and after the original). */
static inline int fd_exact(const char *name, double generated, double original) {
  fd_checks++;
  if (generated == original)
    return 1;
  fd_failures++;
  printf("MISMATCH %s: %.17g after the generated function, %.17g after the original\n", name, generated, original);
  return 0;
}

/* Checks that two results that must agree exactly (up to rounding) do:
 * grad against value_and_grad, or an accumulated gradient against twice
 * the first one. */
static inline int fd_same(const char *name, int index, double got, double want) {
  fd_checks++;
  if (got == want || fabs(got - want) <= 8 * FD_EPS * fd_max(fabs(got), fabs(want)))
    return 1;
  fd_failures++;
  printf("MISMATCH ");
  fd_print_name(name, index);
  printf(": got %.17g, expected %.17g\n", got, want);
  return 0;
}

/* jvp: the directional derivative.  along(eps, index) evaluates the
 * original function at the inputs moved by eps times the tangent
 * direction, and returns its value (index -1) or entry `index` of an
 * output; the central difference of it, with the step fd_check uses for
 * an input of size 1, is compared with the generated tangent `analytic`. */
typedef double (*fd_along_fn)(REAL eps, int index);

static inline int fd_check_tangent(const char *name, int index, double analytic, fd_along_fn along) {
  REAL h = (REAL)fd_step(1.0);
  double numeric = (along(h, index) - along(-h, index)) / (2 * (double)h);
  fd_checks++;
  if (fd_close(analytic, numeric) && analytic == analytic)
    return 1;
  fd_failures++;
  printf("MISMATCH ");
  fd_print_name(name, index);
  printf(": tangent %.10g, directional difference %.10g\n", analytic, numeric);
  return 0;
}

#ifdef _Complex_I /* <complex.h> is included (README, Complex numbers) */
/* A complex input z = x + iy of a real loss: the generated gradient is
 * df/dx - i df/dy, each part checked as a real input (a complex is laid
 * out as an array of its two parts, C99 6.2.5). */
static inline int fd_check_complex(const char *name, int index, REAL _Complex *z, REAL _Complex analytic,
                                   fd_loss_fn loss) {
  REAL *part = (REAL *)z;
  char re[64], im[64];
  snprintf(re, sizeof re, "%s.re", name);
  snprintf(im, sizeof im, "%s.im", name);
  int ok = fd_check(re, index, &part[0], (double)creal(analytic), loss);
  return ok & fd_check(im, index, &part[1], -(double)cimag(analytic), loss);
}

/* holomorphic: the generated f'(z) against the four partial derivatives
 * of Re f and Im f (Cauchy-Riemann: d Re f/dx = d Im f/dy = Re f',
 * d Im f/dx = -d Re f/dy = Im f'). */
static inline int fd_check_holomorphic(const char *name, int index, REAL _Complex *z, REAL _Complex analytic,
                                       fd_loss_fn re_loss, fd_loss_fn im_loss) {
  REAL *part = (REAL *)z;
  char buf[4][64];
  snprintf(buf[0], sizeof buf[0], "%s (d Re f/dx)", name);
  snprintf(buf[1], sizeof buf[1], "%s (d Im f/dx)", name);
  snprintf(buf[2], sizeof buf[2], "%s (d Re f/dy)", name);
  snprintf(buf[3], sizeof buf[3], "%s (d Im f/dy)", name);
  double a = (double)creal(analytic), b = (double)cimag(analytic);
  int ok = fd_check(buf[0], index, &part[0], a, re_loss);
  ok &= fd_check(buf[1], index, &part[0], b, im_loss);
  ok &= fd_check(buf[2], index, &part[1], -b, re_loss);
  return ok & fd_check(buf[3], index, &part[1], a, im_loss);
}
#endif

/* Prints the summary line; returns the driver's exit status. */
static inline int fd_report(const char *test) {
  printf("%s (%s): %d checks, %d mismatches\n", test, FD_IS_FLOAT ? "float" : "double", fd_checks,
         fd_failures);
  return fd_failures == 0 && fd_checks > 0 ? 0 : 1;
}

#endif
