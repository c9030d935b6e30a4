/* mem_indices: memcpy and memset of int arrays whose old values the
 * reverse sweep reads again (the indices of a gather).  Copied by the C
 * library, the overwritten indices were lost and the gradient was silently
 * wrong; as element loops their old values are saved like any other int.
 * FD f64/f32. */
#include <math.h>
#include <string.h>
#ifndef REAL
#define REAL double
#endif

REAL permuted(const REAL *x, int n) {
  int idx[4] = {0, 1, 2, 3};
  const int perm[4] = {3, 2, 1, 0};
  REAL s = 0;
  for (int k = 0; k < 2 && k < n; k++) {
    s += x[idx[0]] * x[idx[1]] + sin(x[idx[2]]);
    memcpy(idx, perm, sizeof idx);
  }
  return s;
}
#pragma vgrad value_and_grad(permuted) argnums(0)

REAL shifted(const REAL *x, int n) {
  int at[3] = {0, 1, 2}, next[3];
  REAL s = 0;
  for (int k = 0; k < n; k++) {
    for (int j = 0; j < 3; j++)
      next[j] = (at[j] + 1) % n;
    s += x[at[0]] * x[at[2]] - cos(x[at[1]]) * (REAL)0.5;
    memcpy(at, next, 3 * sizeof(int));
    if (k == 1)
      memset(next, 0, sizeof next);
  }
  return s;
}
#pragma vgrad value_and_grad(shifted) argnums(0)

#ifdef VG_DRIVER
#include "mem_indices.vg.h"
#include "fdcheck.h"

static REAL in_x[4] = {0.3, -0.5, 0.7, 1.1};
static REAL loss_permuted(void) { return permuted(in_x, 4); }
static REAL loss_shifted(void) { return shifted(in_x, 4); }

int main(void) {
  REAL d_x[4] = {0}, e_x[4] = {0};
  REAL v = permuted_value_and_grad(in_x, 4, d_x);
  fd_value("permuted", v, loss_permuted());
  fd_check_array("permuted d_x", in_x, d_x, 4, loss_permuted);
  v = shifted_value_and_grad(in_x, 4, e_x);
  fd_value("shifted", v, loss_shifted());
  fd_check_array("shifted d_x", in_x, e_x, 4, loss_shifted);
  return fd_report("mem_indices");
}
#endif
