/* outside_calls: a function of another file called in an expression (a
 * weight drawn from a generator, a new value each call) is called once,
 * where the original calls it, its value kept for the reverse sweep;
 * before, the reverse sweep called it again for its value and got other
 * weights: a wrong gradient without a word.  rand() the same.  The
 * generator is called as often as by the original.  FD f64/f32. */
#include <stdlib.h>
#ifndef REAL
#define REAL double
#endif

REAL next_weight(void); /* another file (the driver here) */

REAL drawn(const REAL *x, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++) {
    s += next_weight() * x[i] * x[i];
    s *= next_weight(); /* its value is needed again by the reverse sweep */
  }
  REAL jitter = (REAL)(rand() % 3) * x[0];
  return s * (1 + jitter) + next_weight() * x[n - 1];
}
#pragma vgrad value_and_grad(drawn) argnums(0)

#ifdef VG_DRIVER
#include "outside_calls.vg.h"
#include "fdcheck.h"

static int draws;
REAL next_weight(void) { return (REAL)0.5 + (REAL)0.25 * (REAL)(draws++ % 3); }

static REAL in_x[4] = {0.3, -0.2, 0.7, 0.4};
static REAL loss(void) {
  draws = 0;
  srand(7);
  return drawn(in_x, 4);
}

int main(void) {
  REAL d_x[4] = {0};
  draws = 0;
  srand(7);
  REAL v = drawn_value_and_grad(in_x, 4, d_x);
  int generated_draws = draws;
  fd_value("drawn", v, loss());
  fd_checks++;
  if (generated_draws != draws) {
    printf("MISMATCH draws: the generated function drew %d weights, the original %d\n", generated_draws, draws);
    fd_failures++;
  }
  fd_check_array("d_x", in_x, d_x, 4, loss);
  return fd_report("outside_calls");
}
#endif
