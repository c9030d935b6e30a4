/* allow_int: with the clause a selected integer parameter is accepted
 * and keeps its place among the gradient outputs as `void *d_n` (JAX's
 * float0: a gradient with no values), never touched; callers pass NULL.
 * Without the clause selecting an int stays an error (bad/select_int).
 * The driver calls both generated functions with NULL for d_n and d_k
 * and checks w's and b's gradients against finite differences, float64
 * and float32; a non-NULL d_n is left as it was. */
#ifndef REAL
#define REAL double
#endif

REAL allow_int(const REAL *w, int n, REAL b, long k) {
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += (w[i] - b) * (w[i] - b) * (REAL)(i + k);
  return s / n;
}
#pragma vgrad value_and_grad(allow_int) argnums(0, 1, 2) allow_int
#pragma vgrad grad(allow_int) argnames(k, w, n) allow_int

#ifdef VG_DRIVER
#include "allow_int.vg.h"
#include "fdcheck.h"

enum { N = 4 };
static REAL in_w[N] = {0.3, -0.8, 1.2, 0.45}, in_b = 0.2;

static REAL loss(void) { return allow_int(in_w, N, in_b, 3); }

int main(void) {
  REAL d_w[N] = {0}, d_b = 0;
  REAL v = allow_int_value_and_grad(in_w, N, in_b, 3, d_w, NULL, &d_b);
  fd_value("allow_int", v, loss());
  fd_check_array("d_w", in_w, d_w, N, loss);
  fd_check("d_b", -1, &in_b, d_b, loss);

  REAL g_w[N] = {0};
  unsigned char untouched[8] = {7, 7, 7, 7, 7, 7, 7, 7};
  allow_int_grad(in_w, N, in_b, 3, g_w, untouched, NULL);
  for (int i = 0; i < N; i++)
    fd_same("grad d_w", i, g_w[i], d_w[i]);
  for (int i = 0; i < 8; i++)
    fd_exact("d_n untouched", untouched[i], 7);
  return fd_report("allow_int");
}
#endif
