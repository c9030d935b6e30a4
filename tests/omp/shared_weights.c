/* omp/shared_weights: every iteration of `#pragma omp parallel for
 * schedule(guided) shared(w)` reads all of the shared weights w (a small
 * polynomial per sample), writes y[i] of its own and adds its error to s
 * by reduction(+: s).  In the reverse loop each iteration adds to every
 * d_w[k], which all iterations share (atomic updates), and to its own
 * d_x[i].  FD f64/f32, 1/2/4 threads (omp_check.h). */
#ifndef REAL
#define REAL double
#endif

#define DEG 4

REAL poly_fit(const REAL *x, const REAL *w, const REAL *target, REAL *y, int n) {
  REAL s = 0;
#pragma omp parallel for schedule(guided) shared(w) reduction(+: s)
  for (int i = 0; i < n; i++) {
    REAL p = w[DEG - 1];
    for (int k = DEG - 2; k >= 0; k--)
      p = p * x[i] + w[k];
    y[i] = p;
    s += (p - target[i]) * (p - target[i]);
  }
  return s;
}
#pragma vgrad value_and_grad(poly_fit) argnums(0, 1)

#ifdef VG_DRIVER
#include "shared_weights.vg.h"
#include "omp_check.h"

#define N 29
static REAL in_x[N], in_w[DEG], in_target[N], out_y[N];
static REAL loss(void) { return poly_fit(in_x, in_w, in_target, out_y, N); }

static void gradient(REAL *g) {
  for (int i = 0; i < N + DEG; i++)
    g[i] = 0;
  poly_fit_value_and_grad(in_x, in_w, in_target, out_y, N, g, g + N);
}

int main(void) {
  for (int i = 0; i < N; i++) {
    in_x[i] = (REAL)0.07 * (REAL)(i % 11) - (REAL)0.35;
    in_target[i] = (REAL)0.02 * (REAL)(i % 5);
  }
  for (int k = 0; k < DEG; k++)
    in_w[k] = (REAL)0.3 - (REAL)0.15 * (REAL)k;
  REAL d_x[N] = {0}, d_w[DEG] = {0};
  omp_value("poly_fit", poly_fit_value_and_grad(in_x, in_w, in_target, out_y, N, d_x, d_w), loss());
  fd_check_array("d_x", in_x, d_x, N, loss);
  fd_check_array("d_w", in_w, d_w, DEG, loss);
  omp_same_across_threads("gradient", N + DEG, gradient);
  return fd_report("shared_weights");
}
#endif
