/* matmul_bench.c: GFLOP/s of vg_matmul against naive loops (not a test).
 *
 *   make build/libvgrad.a
 *   cc -std=c11 -O2 -Iruntime tests/runtime/matmul_bench.c build/libvgrad.a -lm -o /tmp/mmb
 *   /tmp/mmb [N]          (default 512: N x N times N x N)
 *
 * Prints the best of 5 runs for: the textbook i-j-k triple loop, the
 * cache-friendlier i-k-j loop, and vg_matmul (float64 and float32; set
 * VGRAD_MATMUL_KERNEL=avx2 or =portable to time a narrower micro-kernel). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "vgrad.h"

static double now(void) {
  struct timespec ts;
  timespec_get(&ts, TIME_UTC);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void naive_ijk(int n, const double *A, const double *B, double *C) {
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      double s = 0;
      for (int p = 0; p < n; p++) s += A[i * n + p] * B[p * n + j];
      C[i * n + j] = s;
    }
}

static void naive_ikj(int n, const double *A, const double *B, double *C) {
  for (int i = 0; i < n * n; i++) C[i] = 0;
  for (int i = 0; i < n; i++)
    for (int p = 0; p < n; p++) {
      double a = A[i * n + p];
      for (int j = 0; j < n; j++) C[i * n + j] += a * B[p * n + j];
    }
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 512;
  double flops = 2.0 * n * n * n;
  double *A = malloc(sizeof(double) * n * n), *B = malloc(sizeof(double) * n * n);
  double *C = malloc(sizeof(double) * n * n);
  for (int i = 0; i < n * n; i++) {
    A[i] = (i % 17) / 17.0 - 0.5;
    B[i] = (i % 13) / 13.0 - 0.5;
  }
  int shape[2] = {n, n};
  vg_array *a = vg_from_f64(A, 2, shape), *b = vg_from_f64(B, 2, shape);
  vg_array *a32 = vg_keep(vg_astype(a, VG_F32)), *b32 = vg_keep(vg_astype(b, VG_F32));

  double best[4] = {1e30, 1e30, 1e30, 1e30}, check = 0;
  for (int rep = 0; rep < 5; rep++) {
    double t = now();
    naive_ijk(n, A, B, C);
    best[0] = fmin(best[0], now() - t);
    check += C[n + 1];
    t = now();
    naive_ikj(n, A, B, C);
    best[1] = fmin(best[1], now() - t);
    t = now();
    vg_array *c = vg_matmul(a, b);
    best[2] = fmin(best[2], now() - t);
    check += vg_data_f64(c)[n + 1] - C[n + 1];
    vg_free(c);
    t = now();
    c = vg_matmul(a32, b32);
    best[3] = fmin(best[3], now() - t);
    vg_free(c);
  }
  const char *names[] = {"naive i-j-k loop (f64)", "naive i-k-j loop (f64)", "vg_matmul (f64)",
                         "vg_matmul (f32)"};
  printf("%d x %d x %d matmul, best of 5\n", n, n, n);
  for (int i = 0; i < 4; i++)
    printf("  %-24s %8.1f ms  %6.2f GFLOP/s\n", names[i], best[i] * 1e3, flops / best[i] * 1e-9);
  printf("  (checksum %g)\n", check);
  vg_free(a);
  vg_free(b);
  vg_free(a32);
  vg_free(b32);
  free(A);
  free(B);
  free(C);
  return 0;
}
