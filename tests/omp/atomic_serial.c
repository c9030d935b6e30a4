// expect-warning: 17:1: warning: '#pragma omp parallel for' runs serially in the gradient of 'atomic_serial': the reverse sweep needs the old value of an '#pragma omp atomic' update, which the iterations share
/* omp/atomic_serial: an `#pragma omp atomic` update whose old values the
 * reverse sweep needs (counts used as indices after the loop and before
 * it): restoring them from per-thread tapes would race, so the loop runs
 * serially in the gradient, with a warning saying why; the forward keeps
 * the atomic, and the gradient is the same with 1, 2 and 4 threads.
 * FD f64/f32 (omp_check.h). */
#ifndef REAL
#define REAL double
#endif

REAL atomic_serial(const REAL *x, const int *bin, int n) {
  int cnt[3] = {0, 0, 0};
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += x[cnt[bin[i]] % n] * x[i];
#pragma omp parallel for
  for (int i = 0; i < n; i++) {
#pragma omp atomic
    cnt[bin[i]] += 1;
  }
  for (int i = 0; i < n; i++)
    s += x[(cnt[bin[i]] + i) % n] * x[i];
  return s;
}
#pragma vgrad value_and_grad(atomic_serial)

#ifdef VG_DRIVER
#include "atomic_serial.vg.h"
#include "omp_check.h"

#define N 13
static REAL in_x[N];
static int bins[N];
static REAL loss(void) { return atomic_serial(in_x, bins, N); }

static void gradient(REAL *g) {
  for (int i = 0; i < N; i++)
    g[i] = 0;
  atomic_serial_value_and_grad(in_x, bins, N, g);
}

int main(void) {
  for (int i = 0; i < N; i++) {
    in_x[i] = (REAL)0.11 * (REAL)(i % 6) - (REAL)0.25;
    bins[i] = (i * 5) % 3;
  }
  REAL d_x[N] = {0};
  omp_value("atomic_serial", atomic_serial_value_and_grad(in_x, bins, N, d_x), loss());
  fd_check_array("d_x", in_x, d_x, N, loss);
  omp_same_across_threads("gradient", N, gradient);
  return fd_report("atomic_serial");
}
#endif
