/* first_store: the first store into each element of fresh memory (calloc'd
 * h, malloc'd g, the variable-length array t, lowered to a calloc) saves
 * nothing: the old value there is 0 (the forward sweep callocs what the
 * original mallocs), so the reverse sweep puts 0 back (ad/first_stores.c).
 * The reverse sweep reads h, g and t again (the products below), so before
 * this each of those stores pushed its old value (3 REALs per element).
 * r[i % 2] is no first store after two steps, and h[j] inside the loop over
 * k is written again on every k: h[j] keeps its save (r's old value the
 * reverse sweep does not read: sin's derivative takes the taped cosine).
 * The driver checks the tape's bytes exactly: per element the cosines of
 * x[i] and of r[i % 2] + t[i] (doubles in C for float arguments too), and
 * per k and j the tanh of h[j] (a double) and h[j]'s old value (a REAL). */
#ifndef REAL
#define REAL double
#endif
#include <math.h>
#include <stdlib.h>

REAL first_store(const REAL *x, int n) {
  REAL *h = calloc(n, sizeof *h);
  REAL *g = malloc(n * sizeof *g);
  REAL t[n];
  for (int i = 0; i < n; i++)
    h[i] = sin(x[i]);
  for (int i = 0; i < n; i++)
    g[i] = h[i] * x[i];
  for (int i = 0; i < n; i++)
    t[i] = g[i] * g[i] + h[i];
  REAL *r = calloc(2, sizeof *r);
  for (int i = 0; i < n; i++)
    r[i % 2] = sin(r[i % 2] + t[i]);
  REAL s = r[0] + r[1];
  for (int i = 0; i < n; i++)
    s += t[i] * g[i] * h[i];
  for (int k = 0; k < 2; k++)
    for (int j = 0; j < n; j++)
      h[j] = tanh(h[j]);
  for (int i = 0; i < n; i++)
    s += h[i] * x[i];
  free(r);
  free(g);
  free(h);
  return s;
}
#pragma vgrad value_and_grad(first_store) argnums(0)

#ifdef VG_DRIVER
#include <vgrad.h>

#include "first_store.vg.h"
#include "fdcheck.h"

static REAL in_x[5] = {0.3, -0.4, 0.7, 1.1, -0.9};
static int in_n;
static REAL loss(void) { return first_store(in_x, in_n); }

int main(void) {
  for (in_n = 1; in_n <= 5; in_n++) {
    REAL d_x[5] = {0, 0, 0, 0, 0};
    vg_memory_stats stats;
    vg_memory_stats_reset();
    REAL v = first_store_value_and_grad(in_x, in_n, d_x);
    vg_memory_stats_get(&stats);
    const double bytes = in_n * (2.0 * sizeof(double) + 2 * (sizeof(double) + sizeof(REAL)));
    fd_value("tape bytes pushed", (double)stats.tape_bytes_pushed, bytes);
    fd_value("value", v, loss());
    fd_check_array("d_x", in_x, d_x, in_n, loss);
  }
  return fd_report("first_store");
}
#endif
