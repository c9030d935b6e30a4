/* Tape memory and time of the taped and the checkpointed gradient of the
 * recurrence, measured side by side (interleaved, median of 7). */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <vgrad.h>

#include "recurrence.vg.h"

double recurrence_taped(double x0, double p, double h, int steps);

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int steps = argc > 1 ? atoi(argv[1]) : 1000000;
  enum { ROUNDS = 7 };
  double t_primal[ROUNDS], t_taped[ROUNDS], t_ckpt[ROUNDS];
  double g_taped[2] = {0, 0}, g_ckpt[2] = {0, 0};
  vg_memory_stats taped, ckpt;
  for (int r = 0; r < ROUNDS; r++) {
    double t0 = now();
    volatile double v = recurrence_taped(0.3, 1.7, 0.01, steps);
    (void)v;
    t_primal[r] = now() - t0;

    vg_memory_stats_reset();
    g_taped[0] = g_taped[1] = 0;
    t0 = now();
    recurrence_taped_value_and_grad(0.3, 1.7, 0.01, steps, &g_taped[0], &g_taped[1]);
    t_taped[r] = now() - t0;
    vg_memory_stats_get(&taped);

    vg_memory_stats_reset();
    g_ckpt[0] = g_ckpt[1] = 0;
    t0 = now();
    recurrence_checkpointed_value_and_grad(0.3, 1.7, 0.01, steps, &g_ckpt[0], &g_ckpt[1]);
    t_ckpt[r] = now() - t0;
    vg_memory_stats_get(&ckpt);
  }
  qsort(t_primal, ROUNDS, sizeof(double), by_value);
  qsort(t_taped, ROUNDS, sizeof(double), by_value);
  qsort(t_ckpt, ROUNDS, sizeof(double), by_value);
  double p = t_primal[ROUNDS / 2], a = t_taped[ROUNDS / 2], c = t_ckpt[ROUNDS / 2];
  size_t mem_taped = taped.tape_peak_bytes + taped.snapshot_peak_bytes;
  size_t mem_ckpt = ckpt.tape_peak_bytes + ckpt.snapshot_peak_bytes;
  double diff = fabs(g_taped[1] - g_ckpt[1]) / fmax(1e-300, fabs(g_taped[1]));
  printf("recurrence %d steps (median of %d)\n", steps, ROUNDS);
  printf("%-14s %10s %8s %14s %14s\n", "method", "ms", "x primal", "peak bytes", "bytes pushed");
  printf("%-14s %10.3f %8.2f %14s %14s\n", "primal", p * 1e3, 1.0, "-", "-");
  printf("%-14s %10.3f %8.2f %14zu %14zu\n", "taped", a * 1e3, a / p, mem_taped, taped.tape_bytes_pushed);
  printf("%-14s %10.3f %8.2f %14zu %14zu\n", "checkpointed", c * 1e3, c / p, mem_ckpt, ckpt.tape_bytes_pushed);
  printf("memory taped / checkpointed: %.0fx; time checkpointed / taped: %.2fx; gradients differ by %.1e\n",
         (double)mem_taped / (double)mem_ckpt, c / a, diff);
  printf("CSV,recurrence_checkpoint,%d,%.6f,%.6f,%.6f,%zu,%zu\n", steps, p, a, c, mem_taped, mem_ckpt);
  return diff > 1e-9;
}
