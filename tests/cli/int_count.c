/* A loop counted by an int whose tape is reserved for all its iterations
 * at once, before it runs (a call in the body).  With n = 1073742824 the
 * reservation, n * 4 doubles, does not fit in an int: it must be computed
 * in size_t and, when it cannot be had, stop with the runtime's
 * "out of memory" message, never write past a block too small.
 * The driver: `int_count N` prints chain's gradient at N iterations (the
 * test checks a small N against finite differences). */
#include <math.h>

#pragma vgrad grad(chain) argnums(0)
double chain(double x, int n) {
  double y = x;
  for (int i = 0; i < n; i++)
    y = sin(y) * x + cos(y) * x * 0.5;
  return y;
}

#ifdef VG_DRIVER
#include <stdio.h>
#include <stdlib.h>

#include "fdcheck.h"
#include "int_count.vg.h"

static double x_at = 0.7;
static int n_at;
static double loss(void) { return chain(x_at, n_at); }

int main(int argc, char **argv) {
  n_at = argc > 1 ? atoi(argv[1]) : 10;
  double g = 0;
  chain_grad(x_at, n_at, &g);
  if (n_at > 1000) { /* not reached: the reservation stops the program */
    printf("gradient %.17g at n = %d\n", g, n_at);
    return 0;
  }
  fd_check("x", -1, &x_at, g, loss);
  return fd_report("int_count");
}
#endif
