/* warning_free: programs whose generated code drew a -Wall -Wextra warning
 * (or did not compile) where the original draws none; the test suite
 * compiles it with -Werror, with REAL double and float. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

/* lgamma in a double program: only the digamma variant used is defined
 * (an unused vgradcc_digammaf warned) */
REAL lg(REAL a) { return lgamma((REAL)1.5 + tanh(a)); }
#pragma vgrad value_and_grad(lg)

/* a continue that is the last thing the loop body does needs no flag (an
 * `int cont` was set but never read); one that skips statements keeps it */
REAL skip(const REAL *x, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++) {
    s += x[i] * x[i];
    if (s > 10)
      continue;
  }
  for (int i = 0; i < n; i++) {
    if (x[i] > 0) {
      s += x[i];
      if (s > 1)
        continue;
    } else {
      s -= (REAL)0.5 * x[i];
      continue;
    }
  }
  for (int i = 0; i < n; i++) {
    if (x[i] < 0)
      continue;
    s += (REAL)0.1 * x[i] * s;
  }
  return s;
}
#pragma vgrad value_and_grad(skip) argnums(0)

/* a variable-length array after a loop with a break: its calloc's count
 * is kept non-negative (gcc warned that (size_t)n may exceed any object) */
REAL vla(const REAL *x, int n) {
  REAL acc = 0;
  for (int i = 0; i < n; i++) {
    if (x[i] > 5)
      break;
    acc += x[i];
  }
  REAL w[n];
  for (int i = 0; i < n; i++)
    w[i] = acc * x[i];
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += w[i] * w[i];
  return s;
}
#pragma vgrad value_and_grad(vla) argnums(0)

/* sums into one adjoint over constant counts: a multiple of 4 leaves no
 * rest loop after the unrolled one (gcc saw it run down past INT_MIN) */
REAL unrolled(const REAL *x, REAL a) {
  REAL s = 0;
  for (int i = 0; i < 16; i++)
    s += a * x[i];
  for (int i = 0; i < 17; i++)
    s += a * a * x[i];
  for (int i = 0; i < 8; i++)
    s += tanh(a) * x[i];
  for (int i = 0; i < 4; i++)
    s += a * x[i] * x[i];
  return s;
}
#pragma vgrad value_and_grad(unrolled) argnums(0, 1)

/* structs of this file used only by local arrays without initializer */
struct cell {
  REAL v, g;
};
typedef struct {
  REAL m;
  int k;
} slot;

REAL cells(const REAL *x, int n) {
  struct cell c[8];
  slot q[4];
  for (int i = 0; i < n; i++) {
    c[i].v = x[i];
    c[i].g = x[i] * x[i];
  }
  for (int i = 0; i < 4; i++) {
    q[i].m = x[i % n] * 2;
    q[i].k = i;
  }
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += c[i].v * c[i].g + q[i % 4].m * (REAL)q[i % 4].k;
  return s;
}
#pragma vgrad value_and_grad(cells) argnums(0)

#ifdef VG_DRIVER
#include "warning_free.vg.h"
#include "fdcheck.h"

static REAL in_a = 0.3, in_b = 0.7;
static REAL in_x[17] = {0.1, 0.4, -0.3, 0.25, 0.5, -0.2, 0.15, 0.3, -0.45, 0.35,
                        0.2, -0.1, 0.05, 0.6, -0.25, 0.45, 0.12};
static int in_n = 6;

static REAL loss_lg(void) { return lg(in_a); }
static REAL loss_skip(void) { return skip(in_x, in_n); }
static REAL loss_vla(void) { return vla(in_x, in_n); }
static REAL loss_unrolled(void) { return unrolled(in_x, in_b); }
static REAL loss_cells(void) { return cells(in_x, in_n); }

int main(void) {
  REAL d_a = 0;
  fd_value("lg", lg_value_and_grad(in_a, &d_a), loss_lg());
  fd_check("lg d_a", 0, &in_a, (double)d_a, loss_lg);

  REAL d_x[17] = {0};
  fd_value("skip", skip_value_and_grad(in_x, in_n, d_x), loss_skip());
  fd_check_array("skip d_x", in_x, d_x, in_n, loss_skip);

  REAL v_x[17] = {0};
  fd_value("vla", vla_value_and_grad(in_x, in_n, v_x), loss_vla());
  fd_check_array("vla d_x", in_x, v_x, in_n, loss_vla);

  REAL u_x[17] = {0}, u_b = 0;
  fd_value("unrolled", unrolled_value_and_grad(in_x, in_b, u_x, &u_b), loss_unrolled());
  fd_check_array("unrolled d_x", in_x, u_x, 17, loss_unrolled);
  fd_check("unrolled d_a", 0, &in_b, (double)u_b, loss_unrolled);

  REAL c_x[17] = {0};
  fd_value("cells", cells_value_and_grad(in_x, in_n, c_x), loss_cells());
  fd_check_array("cells d_x", in_x, c_x, in_n, loss_cells);
  return fd_report("warning_free");
}
#endif
