/* rp_check.h: the checks of the random programs' drivers (tests/random).
 *
 * rp_grad() tests one gradient entry against central differences of the
 * original function with Richardson extrapolation, in double builds.  A
 * random program may put a kink (fabs, fmin, a branch on an active value,
 * a cast to int) or a jump (a loop whose trip count depends on an active
 * value) near the test point, where a difference quotient is wrong and the
 * derivative right; and its third derivative may be large, where a
 * quotient with a large step is off by truncation.  So the analytic
 * derivative is called wrong only if it disagrees with every one of six
 * estimates: the central differences with steps h and h/2 and their
 * Richardson extrapolation (4 D(h/2) - D(h)) / 3, and the same with h/64
 * and h/128.  A kink must then lie within h/64 of the point (and be
 * crossed by the large steps too) to raise a false alarm, while a wrong
 * derivative (a missing term, a wrong sign or factor) is outside all six.
 * A jump J within h/128 of the point shows as quotients s + J / (2 step)
 * that give the same J in both pairs: such an entry is reported (JUMP)
 * and not checked.  A kink at the point itself (fmax(y, x) at y == x,
 * inputs being multiples of 1/256) makes every central quotient the mean
 * of the two sides' slopes, while the derivative is one side's: where the
 * two sides' one-sided quotients differ, the entry must match one side's
 * (reported as KINK), so a wrong derivative still fails there.  A point
 * whose value differs from the function on both sides of it (a cast to
 * int reaching an integer exactly there) is reported (POINT) and not
 * checked.
 *
 *   h = 1e-3 * max(1, |x|): D(h) is off by h^2 |f'''| / 6 (1.7e-7 |f'''|),
 *   which Richardson cancels to O(h^4); D(h/128) is off by rounding,
 *   about DBL_EPSILON |f| / (h/128) (3e-11 |f|).
 *   Tolerance: |g - D| <= 1e-6 + 1e-5 max(|g|, |D|) + 1e-9 max(1, |f|),
 *   the last term for the rounding of the small steps on a large loss.
 *
 * In float builds the driver does no differences (float rounding is too
 * coarse to tell much): it prints every gradient entry (lines "G ...")
 * and the runner compares them with the double build's (run.py).
 *
 * rp_value(): a value returned (or written) by a generated function
 * against the original's: the forward sweep does the same operations, so
 * they agree bit for bit in practice; 64 units in the last place of
 * max(1, |value|) leave room for a reordered sum of bounded terms and
 * nothing more.
 *
 * rp_same(): two gradients that must agree up to rounding: a checkpointed
 * loop against the same loop taped, grad against value_and_grad.  Their
 * adjoints are summed in other orders: 1e-9 (double) and 1e-4 (float)
 * relative to max(1, |a|, |b|), far above the rounding of a few thousand
 * operations and far below any wrong term. */
#ifndef RP_CHECK_H
#define RP_CHECK_H

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#ifndef REAL
#define REAL double
#endif

#define RP_IS_FLOAT (sizeof(REAL) == sizeof(float))
#define RP_EPS (RP_IS_FLOAT ? (double)FLT_EPSILON : DBL_EPSILON)

static int rp_checks, rp_value_failures, rp_grad_failures;
static const char *rp_fn = "";

static inline double rp_max(double a, double b) { return a > b ? a : b; }

static inline void rp_function(const char *name) { rp_fn = name; }

static inline void rp_value(const char *what, double got, double want) {
  rp_checks++;
  /* the original's value, for run.py's comparison of the float build with
   * the double one (a function whose float loss is another is not compared) */
  printf("V %s %.17g\n", rp_fn, want);
  if (want != want) { /* the original left a function's domain: the generator's fault (run.py: GEN_BUG) */
    printf("GEN_BUG %s: %s: the original gives NaN\n", rp_fn, what);
    return;
  }
  if (got == want || fabs(got - want) <= 64 * RP_EPS * rp_max(1.0, fabs(want)))
    return;
  rp_value_failures++;
  printf("WRONG_VALUE %s: %s: generated %.17g, original %.17g\n", rp_fn, what, got, want);
}

static inline double rp_diff(REAL *x, double h, double (*loss)(void)) {
  REAL x0 = *x;
  REAL xp = (REAL)((double)x0 + h), xm = (REAL)((double)x0 - h);
  *x = xp;
  double fp = loss();
  *x = xm;
  double fm = loss();
  *x = x0;
  return (fp - fm) / ((double)xp - (double)xm);
}

/* (f(x + step) - f(x)) / step, step < 0 for the left side; fx = f(x). */
static inline double rp_side(REAL *x, double step, double fx, double (*loss)(void)) {
  REAL x0 = *x;
  REAL xs = (REAL)((double)x0 + step);
  *x = xs;
  double fs = loss();
  *x = x0;
  return (fs - fx) / ((double)xs - (double)x0);
}

static inline int rp_close(double g, double d, double f) {
  return fabs(g - d) <= 1e-6 + 1e-5 * rp_max(fabs(g), fabs(d)) + 1e-9 * rp_max(1.0, fabs(f));
}

static inline void rp_grad(const char *what, REAL *x, double g, double (*loss)(void)) {
  rp_checks++;
  printf("G %s %s %.17g\n", rp_fn, what, g);
  if (RP_IS_FLOAT) {
    if (g != g) {
      rp_grad_failures++;
      printf("WRONG_GRAD %s: d_%s is NaN\n", rp_fn, what);
    }
    return;
  }
  double f = loss();
  double h = 1e-3 * rp_max(1.0, fabs((double)*x));
  double est[6];
  for (int k = 0; k < 2; k++) {
    double hk = k == 0 ? h : h / 64;
    double d1 = rp_diff(x, hk, loss), d2 = rp_diff(x, hk / 2, loss);
    est[3 * k] = d1;
    est[3 * k + 1] = d2;
    est[3 * k + 2] = (4 * d2 - d1) / 3;
  }
  for (int k = 0; k < 6; k++)
    if (rp_close(g, est[k], f))
      return;
  if (g != g && f != f)
    return; /* NaN loss: nothing to compare (the value check reports it) */
  /* A jump J within h/128 of the point (a cast to int, a trip count of an
   * active value): a quotient over a step is about s + J / (2 step), s the
   * slope, so each pair (step, step/2) gives J = 2 step (D(step/2) - D(step)),
   * the same J for both pairs 64 times apart; the derivative there has no
   * finite difference to compare with (the two sides' slopes may differ). */
  double jump_big = 2 * h * (est[1] - est[0]), jump_small = 2 * (h / 64) * (est[4] - est[3]);
  int jump = jump_small != 0 && fabs(jump_big - jump_small) <= 0.05 * fabs(jump_small);
  if (jump && fabs(est[4]) > 8 * fabs(est[1])) {
    printf("JUMP %s: d_%s not checked: the loss jumps within %g of %.10g\n", rp_fn, what, h / 128, (double)*x);
    return;
  }
  /* The point itself off the function around it: a cast to int whose
   * argument reaches an integer exactly there ((int)(3 * cos(x)) at x == 0,
   * soak seed 92333), so f(x) differs from the values on both sides by
   * more than curvature allows; the derivative is of the branch the point
   * takes, which no difference sees. */
  {
    double s = h / 128;
    REAL x0 = *x;
    *x = (REAL)((double)x0 + s);
    double fp = loss();
    *x = (REAL)((double)x0 - s);
    double fm = loss();
    *x = x0;
    double gap = f - (fp + fm) / 2;
    if (fabs(gap) > 1e-6 * rp_max(1.0, fabs(f)) && fabs(fp - fm) < fabs(gap)) {
      printf("POINT %s: d_%s not checked: the loss at %.10g is %.10g, around it %.10g\n", rp_fn, what, (double)x0, f,
             (fp + fm) / 2);
      return;
    }
  }
  /* A kink at the point itself (fmax(y, x) with y == x, fabs(0)): every
   * central quotient is the mean of the two sides' slopes, and the
   * derivative is one side's (the first operand's of fmin/fmax, as
   * documented).  It is checked against that side's one-sided quotients,
   * with steps s and s/2 and their extrapolation 2 D(s/2) - D(s), at both
   * scales; only where the two sides differ. */
  for (int k = 0; k < 2; k++) {
    double s = k == 0 ? h : h / 64, side[2][3];
    for (int dir = 0; dir < 2; dir++) {
      double d1 = rp_side(x, dir ? -s : s, f, loss), d2 = rp_side(x, dir ? -s / 2 : s / 2, f, loss);
      side[dir][0] = d1;
      side[dir][1] = d2;
      side[dir][2] = 2 * d2 - d1;
    }
    if (rp_close(side[0][2], side[1][2], f))
      continue;
    for (int dir = 0; dir < 2; dir++)
      for (int e = 0; e < 3; e++)
        if (rp_close(g, side[dir][e], f)) {
          printf("KINK %s: d_%s = %.10g is the %s derivative: the loss has a kink at %.10g (slopes %.10g left, %.10g"
                 " right)\n",
                 rp_fn, what, g, dir ? "left" : "right", (double)*x, side[1][2], side[0][2]);
          return;
        }
  }
  rp_grad_failures++;
  printf("WRONG_GRAD %s: d_%s = %.10g, differences %.10g %.10g, Richardson %.10g (steps %g, %g); %.10g %.10g, %.10g"
         " (steps %g, %g); at %.10g\n",
         rp_fn, what, g, est[0], est[1], est[2], h, h / 2, est[3], est[4], est[5], h / 64, h / 128, (double)*x);
}

static inline void rp_same(const char *what, double a, double b) {
  rp_checks++;
  double tol = (RP_IS_FLOAT ? 1e-4 : 1e-9) * rp_max(1.0, rp_max(fabs(a), fabs(b)));
  if (a == b || fabs(a - b) <= tol)
    return;
  rp_grad_failures++;
  printf("WRONG_GRAD %s: %s: %.17g vs %.17g\n", rp_fn, what, a, b);
}

static inline int rp_report(const char *prog) {
  printf("%s (%s): %d checks, %d wrong values, %d wrong gradients\n", prog, RP_IS_FLOAT ? "float" : "double",
         rp_checks, rp_value_failures, rp_grad_failures);
  return rp_value_failures || rp_grad_failures ? 1 : 0;
}

#endif
