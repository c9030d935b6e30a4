/* omp/jacobian_rows: a reverse Jacobian of two rows (known at compile
 * time) of a function with a parallel loop.  Its vjp keeps a pass per
 * row: the parallel region names the adjoints in its clauses, which one
 * vjp for all rows (ad/lanes.c) would have copied per row (random seeds
 * 129, 191).  FD f64/f32 of every entry; the same Jacobian with 1, 2 and
 * 4 threads (omp_check.h). */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

REAL rows2(const REAL *x, int n, REAL *out) {
  REAL s = 0, t = 0;
#pragma omp parallel for reduction(+: s)
  for (int i = 0; i < n; i++)
    s += sin(x[i]) * x[i];
  for (int i = 0; i < n; i++)
    t += x[i] * (REAL)(i + 1);
  out[0] = s * t;
  out[1] = s + t * t;
  return 0;
}
#pragma vgrad jacobian(rows2) argnames(x[6]) outputs(out[2]) mode(rev)

#ifdef VG_DRIVER
#include "jacobian_rows.vg.h"
#include "omp_check.h"

#define N 6
static REAL in_x[N] = {0.3, -0.7, 1.1, 0.45, -0.2, 0.8};
static int row;
static REAL row_loss(void) {
  REAL out[2];
  rows2(in_x, N, out);
  return out[row];
}

static void jacobian(REAL *g) {
  double jac[2 * N];
  REAL out[2];
  rows2_jacobian(in_x, N, out, jac);
  for (int i = 0; i < 2 * N; i++)
    g[i] = (REAL)jac[i];
}

int main(void) {
  REAL j[2 * N];
  jacobian(j);
  for (row = 0; row < 2; row++)
    for (int c = 0; c < N; c++)
      fd_check("jac", row * N + c, &in_x[c], j[row * N + c], row_loss);
  omp_same_across_threads("jacobian", 2 * N, jacobian);
  return fd_report("jacobian_rows");
}
#endif
