/* const_len_arrays: a local array inside a loop whose length is a const int
 * initialised with a constant (h[C], which C calls variable-length) is a
 * fixed-size array like those sized by an enum (g[KG]) or a #define (o[KO]):
 * declared once at function scope with its adjoint, no calloc/free pair per
 * iteration and no pointers taped.  A length known only at run time
 * (r[m], m = n) stays on the heap, its two pointers taped each iteration.
 * The driver checks the tape's bytes exactly. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

#define KO 2
enum { KG = 3 };

REAL const_len_arrays(const REAL *w, const REAL *x, int n) {
  REAL s = 0;
  for (int t = 0; t < n; t++) {
    const int C = 3;
    REAL h[C];
    REAL g[KG];
    REAL o[KO];
    const int m = n;
    REAL r[m];
    for (int i = 0; i < C; i++)
      h[i] = w[i] * x[t];
    for (int i = 0; i < KG; i++)
      g[i] = h[i] * h[(i + 1) % C];
    for (int i = 0; i < KO; i++)
      o[i] = g[i] + g[i + 1] * w[3];
    for (int i = 0; i < m; i++)
      r[i] = o[i % KO] * x[i];
    s += r[m - 1] + o[0] * o[1];
  }
  return s;
}
#pragma vgrad value_and_grad(const_len_arrays) argnums(0, 1)

#ifdef VG_DRIVER
#include <vgrad.h>
#include "const_len_arrays.vg.h"
#include "fdcheck.h"
#define N 12
/* a step tapes r's and d_r's old pointers (r[m] is the only heap array),
 * the 6 reads of h in g's products, and per element of o one read of g and
 * o's old value (o is overwritten each step): nothing for h, g or o's
 * storage themselves */
#define TAPE_PER_STEP (2 * sizeof(void *) + 10 * sizeof(REAL))
static REAL in_w[4] = {0.7, -0.4, 0.3, 0.5};
static REAL in_x[N];
static int in_n;
static REAL loss(void) { return const_len_arrays(in_w, in_x, in_n); }
int main(void) {
  for (int i = 0; i < N; i++)
    in_x[i] = (REAL)(0.5 * sin(0.7 * i + 0.2));
  const int lengths[] = {0, 1, 5, N};
  for (int t = 0; t < 4; t++) {
    in_n = lengths[t];
    REAL d_w[4] = {0}, d_x[N] = {0};
    vg_memory_stats stats;
    vg_memory_stats_reset();
    REAL v = const_len_arrays_value_and_grad(in_w, in_x, in_n, d_w, d_x);
    vg_memory_stats_get(&stats);
    fd_value("tape bytes pushed", (double)stats.tape_bytes_pushed, (double)in_n * TAPE_PER_STEP);
    fd_value("value", v, loss());
    fd_check_array("d_w", in_w, d_w, 4, loss);
    fd_check_array("d_x", in_x, d_x, N, loss);
  }
  return fd_report("const_len_arrays");
}
#endif
