/* leaks.c: the memory contract of design 1.4: the loss
 * vg_mean(vg_square(vg_sub(a, b))) must not leak when called a million
 * times, directly or through the generated value_and_grad.
 *
 *   leaks/direct            mse_nested(a, b), 1,000,000 calls
 *   leaks/value_and_grad    mse_nested_value_and_grad, 100,000 calls
 *   leaks/value_and_grad-named   the same with the result in a variable
 *   leaks/none-left         vg_live_arrays() == 0 once a and b are freed
 *
 * After every call (and freeing what it returned) the number of live
 * arrays must be back to 2 (a and b); the first call's value and gradients
 * are checked against the closed form (2/n (a - b), -2/n (a - b)).  A
 * runtime error fails the test it happens in.  tests/arrays/leaks.sh builds
 * this under AddressSanitizer with detect_leaks=1, which checks at exit
 * that nothing else (tapes, buffers) was left allocated.
 *
 * Arguments: [direct calls] [value_and_grad calls] (defaults 1000000 100000). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leak_loss.vg.h"

vg_array *mse_nested(vg_array *a, vg_array *b);

enum { N = 8 };
static const int shape[1] = {N};
static double ad[N], bd[N];

static long nerrors;
static char first_error[300];

static void on_error(const char *message, void *user) {
  (void)user;
  if (nerrors++ == 0)
    snprintf(first_error, sizeof first_error, "%s", message);
}

static int nfailed;

/* Reports one test: PASS, or FAIL with why. */
static void report(const char *name, const char *why) {
  if (!why && nerrors)
    why = first_error;
  if (why) {
    printf("FAIL leaks/%s: %s\n", name, why);
    nfailed++;
  } else {
    printf("PASS leaks/%s\n", name);
  }
  nerrors = 0;
}

static double want_value(void) {
  double s = 0;
  for (int i = 0; i < N; i++)
    s += (ad[i] - bd[i]) * (ad[i] - bd[i]);
  return s / N;
}

static int close_to(double got, double want) { return fabs(got - want) <= 1e-12 * (1 + fabs(want)); }

/* Whether g holds sign * 2/N (a - b); writes why not into why. */
static int check_grad(vg_array *g, double sign, const char *name, char *why, size_t nwhy) {
  if (!g || vg_size(g) != N || vg_dtype_of(g) != VG_F64) {
    snprintf(why, nwhy, "first call: %s is %s", name, g ? "not 8 float64 elements" : "NULL");
    return 0;
  }
  for (int i = 0; i < N; i++)
    if (!close_to(vg_data_f64(g)[i], sign * 2.0 / N * (ad[i] - bd[i]))) {
      snprintf(why, nwhy, "first call: %s[%d] = %.17g, expected %.17g", name, i, vg_data_f64(g)[i],
               sign * 2.0 / N * (ad[i] - bd[i]));
      return 0;
    }
  return 1;
}

typedef vg_array *(*vag_fn)(vg_array *, vg_array *, vg_array **, vg_array **);

static void value_and_grad_calls(const char *name, vag_fn f, long calls, vg_array *a, vg_array *b) {
  char why[400] = "";
  long base = vg_live_arrays();
  for (long i = 0; i < calls && !why[0] && !nerrors; i++) {
    vg_array *d_a = NULL, *d_b = NULL;
    vg_array *l = f(a, b, &d_a, &d_b);
    if (i == 0) {
      if (!l)
        snprintf(why, sizeof why, "first call: the value is NULL%s%s", nerrors ? " after the error: " : "",
                 nerrors ? first_error : "");
      else if (!close_to(vg_item(l), want_value()))
        snprintf(why, sizeof why, "first call: value %.17g, expected %.17g", vg_item(l), want_value());
      else if (check_grad(d_a, 1, "d_a", why, sizeof why))
        check_grad(d_b, -1, "d_b", why, sizeof why);
    }
    vg_free(l);
    vg_free(d_a);
    vg_free(d_b);
    if (!why[0] && vg_live_arrays() != base)
      snprintf(why, sizeof why, "call %ld left %ld arrays alive", i + 1, vg_live_arrays() - base);
  }
  report(name, why[0] ? why : NULL);
}

int main(int argc, char **argv) {
  long direct = argc > 1 ? atol(argv[1]) : 1000000;
  long grads = argc > 2 ? atol(argv[2]) : 100000;
  vg_set_error_handler(on_error, NULL);
  for (int i = 0; i < N; i++) {
    ad[i] = 0.25 * i - 1;
    bd[i] = cos(i);
  }
  vg_array *a = vg_from_f64(ad, 1, shape), *b = vg_from_f64(bd, 1, shape);
  long base = vg_live_arrays();

  char why[300] = "";
  for (long i = 0; i < direct && !why[0] && !nerrors; i++) {
    vg_array *l = mse_nested(a, b);
    if (i == 0 && (!l || !close_to(vg_item(l), want_value())))
      snprintf(why, sizeof why, "first call: value %.17g, expected %.17g", l ? vg_item(l) : NAN, want_value());
    vg_free(l);
    if (!why[0] && vg_live_arrays() != base)
      snprintf(why, sizeof why, "call %ld left %ld arrays alive", i + 1, vg_live_arrays() - base);
  }
  report("direct", why[0] ? why : NULL);

  value_and_grad_calls("value_and_grad", mse_nested_value_and_grad, grads, a, b);
  value_and_grad_calls("value_and_grad-named", mse_named_value_and_grad, grads, a, b);

  vg_free(a);
  vg_free(b);
  why[0] = 0;
  if (vg_live_arrays() != 0)
    snprintf(why, sizeof why, "%ld arrays alive at the end", vg_live_arrays());
  report("none-left", why[0] ? why : NULL);
  return nfailed ? 1 : 0;
}
