/* local_types: a union and a struct type used only by locals (the
 * generated file defines them itself), a 2-D array parameter and a
 * pointer-to-pointer parameter (rows of a matrix). */
#ifndef REAL
#define REAL double
#endif

typedef union {
  REAL value;
  long bits;
} Cell;

struct Pair {
  REAL a, b;
};

REAL local_types(REAL grid[2][2], REAL **rows, REAL x) {
  Cell c;
  c.value = x * grid[0][1];
  struct Pair p = {c.value, grid[1][0]};
  REAL s = p.a * p.b;
  for (int i = 0; i < 2; i++)
    s += rows[i][i] * rows[i][1 - i] + grid[i][i];
  return s;
}
#pragma vgrad value_and_grad(local_types) argnums(all)

#ifdef VG_DRIVER
#include "local_types.vg.h"
#include "fdcheck.h"

static REAL in_grid[2][2] = {{0.5, -1.5}, {2.0, 0.75}};
static REAL in_r0[2] = {1.25, -0.5}, in_r1[2] = {0.3, 2.2};
static REAL *in_rows[2] = {in_r0, in_r1};
static REAL in_x = 0.7;
static REAL loss(void) { return local_types(in_grid, in_rows, in_x); }

int main(void) {
  REAL d_grid[2][2] = {{0, 0}, {0, 0}}, d_r0[2] = {0, 0}, d_r1[2] = {0, 0}, d_x = 0;
  REAL *d_rows[2] = {d_r0, d_r1};
  REAL v = local_types_value_and_grad(in_grid, in_rows, in_x, d_grid, d_rows, &d_x);
  fd_value("value", v, loss());
  fd_check_array("d_grid", &in_grid[0][0], &d_grid[0][0], 4, loss);
  fd_check_array("d_rows[0]", in_r0, d_r0, 2, loss);
  fd_check_array("d_rows[1]", in_r1, d_r1, 2, loss);
  fd_check("d_x", 0, &in_x, d_x, loss);
  return fd_report("local_types");
}
#endif
