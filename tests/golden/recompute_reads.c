/* recompute_reads: values redone in the reverse sweep instead of saved
 * (a fill of a local array at the top of a loop body, an index set from
 * loop invariants, at the top and in a branch) read their operands there,
 * so an operand changed after the loop by an update whose adjoint needs no
 * old value (sh = sh + e, c += e, c -= e) keeps its save. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

/* a fill redone in each reverse iteration reads a scalar changed after the loop */
REAL fill_shift(const REAL *x, const REAL *w, REAL shift, int n) {
  REAL centred[3];
  REAL s = 0;
  REAL sh = (REAL)0.5 * shift;
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < 3; j++)
      centred[j] = x[i * 3 + j] - sh;
    for (int j = 0; j < 3; j++)
      s += centred[j] * centred[j] * w[j];
  }
  sh = sh + x[0];
  return s + sh * sh;
}
#pragma vgrad value_and_grad(fill_shift) argnums(0, 1, 2)

/* an index recomputed from a floating scalar changed after the loop */
REAL index_from(const REAL *x, REAL a, int n) {
  REAL c = (REAL)1.2;
  REAL s = 0;
  for (int i = 0; i < n; i++) {
    int k = (int)(c * 2) + i;
    s += x[k] * x[k] * a;
  }
  c += (REAL)1.5;
  c -= (REAL)0.5;
  return s + c;
}
#pragma vgrad value_and_grad(index_from) argnums(0, 1)

/* the same inside a branch of the body */
REAL branch_index(const REAL *x, REAL a, int n) {
  REAL c = (REAL)1.2;
  REAL s = 0;
  for (int i = 0; i < n; i++) {
    if (i % 2) {
      int k = (int)(c * 2) + i;
      s += x[k] * x[k] * a;
    }
  }
  c = c + (REAL)1.5;
  return s + c;
}
#pragma vgrad value_and_grad(branch_index) argnums(0, 1)

#ifdef VG_DRIVER
#include "recompute_reads.vg.h"
#include "fdcheck.h"

static REAL in_x[12] = {0.1, 0.2, -0.3, 0.4, 0.5, -0.6, 0.7, 0.8, -0.9, 1.0, 0.3, 0.2};
static REAL in_w[3] = {0.8, 1.2, 0.5}, in_shift = 0.3, in_a = 0.7;
static int in_n = 3;
static REAL loss_fill(void) { return fill_shift(in_x, in_w, in_shift, in_n); }
static REAL loss_index(void) { return index_from(in_x, in_a, in_n); }
static REAL loss_branch(void) { return branch_index(in_x, in_a, in_n); }

int main(void) {
  for (in_n = 1; in_n <= 4; in_n += 3) {
    REAL d_x[12] = {0}, d_w[3] = {0}, d_shift = 0;
    fd_value("fill_shift", fill_shift_value_and_grad(in_x, in_w, in_shift, in_n, d_x, d_w, &d_shift), loss_fill());
    fd_check_array("fill_shift d_x", in_x, d_x, 12, loss_fill);
    fd_check_array("fill_shift d_w", in_w, d_w, 3, loss_fill);
    fd_check("fill_shift d_shift", in_n, &in_shift, d_shift, loss_fill);

    REAL e_x[12] = {0}, e_a = 0;
    fd_value("index_from", index_from_value_and_grad(in_x, in_a, in_n, e_x, &e_a), loss_index());
    fd_check_array("index_from d_x", in_x, e_x, 12, loss_index);
    fd_check("index_from d_a", in_n, &in_a, e_a, loss_index);

    REAL b_x[12] = {0}, b_a = 0;
    fd_value("branch_index", branch_index_value_and_grad(in_x, in_a, in_n, b_x, &b_a), loss_branch());
    fd_check_array("branch_index d_x", in_x, b_x, 12, loss_branch);
    fd_check("branch_index d_a", in_n, &in_a, b_a, loss_branch);
  }
  return fd_report("recompute_reads");
}
#endif
