/* heap: work arrays from malloc and calloc, freed with free, in the
 * differentiated function and inside a helper called in a loop (each call
 * allocates and frees its own buffer); the adjoint buffers are allocated
 * and freed alongside. */
#include <math.h>
#include <stdlib.h>

#ifndef REAL
#define REAL double
#endif

/* sum_i (v[i] * scale)^2, through a buffer of its own. */
static REAL scaled_sqnorm(int n, const REAL *v, REAL scale) {
  REAL *tmp = malloc((size_t)n * sizeof(REAL));
  for (int i = 0; i < n; i++)
    tmp[i] = v[i] * scale;
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += tmp[i] * tmp[i];
  free(tmp);
  return s;
}

REAL heap(const REAL *x, int n, REAL a) {
  REAL *y = malloc((size_t)n * sizeof(REAL));
  REAL *acc = calloc((size_t)n, sizeof(REAL));
  for (int i = 0; i < n; i++)
    y[i] = exp(a * x[i]);
  for (int r = 0; r < 3; r++)
    for (int i = 0; i < n; i++)
      acc[i] += y[(i + r) % n] * x[i];
  REAL total = 0;
  for (int r = 1; r <= 3; r++)
    total += scaled_sqnorm(n, acc, a / r);
  free(y);
  free(acc);
  return total;
}
#pragma vgrad value_and_grad(heap) argnums(0, 2)

#ifdef VG_DRIVER
#include "heap.vg.h"
#include "fdcheck.h"

static REAL in_x[4] = {0.3, -0.5, 0.8, 0.1}, in_a = 0.6;
static REAL loss(void) { return heap(in_x, 4, in_a); }

int main(void) {
  REAL d_x[4] = {0}, d_a = 0;
  REAL v = heap_value_and_grad(in_x, 4, in_a, d_x, &d_a);
  fd_value("value", v, loss());
  fd_check_array("d_x", in_x, d_x, 4, loss);
  fd_check("d_a", -1, &in_a, d_a, loss);
  return fd_report("heap");
}
#endif
