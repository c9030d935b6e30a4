/* pointer_rows: `REAL **` parameters (design 1.7): the gradient is `REAL
 * **d_x`, the caller's rows of gradients of the same lengths, added to.
 * Spellings: x[i][j], *(x[i] + j), a row alias `const REAL *row = x[i]`,
 * `const REAL *const *`, rows of different lengths, and rows written in
 * place and read again (the caller's rows then hold what the original
 * leaves in them). */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

/* rows of lengths len[i] */
REAL ragged(REAL **x, const int *len, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++) {
    const REAL *row = x[i];
    for (int j = 0; j < len[i]; j++)
      s += row[j] * *(x[i] + j) * (j + 1);
  }
  return sqrt(s);
}
#pragma vgrad value_and_grad(ragged) argnums(0)

/* a const table of rows, and a second selected pointer */
REAL bilinear(const REAL *const *m, const REAL *v, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      s += v[i] * m[i][j] * v[j];
  return tanh(s);
}
#pragma vgrad value_and_grad(bilinear) argnums(0, 1)

/* rows changed in place, then read */
REAL smooth(REAL **x, int n, int m) {
  for (int i = 1; i < n; i++)
    for (int j = 0; j < m; j++)
      x[i][j] = 0.5 * x[i][j] + 0.5 * sin(x[i - 1][j]);
  REAL s = 0;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < m; j++)
      s += x[i][j] * x[i][j];
  return s;
}
#pragma vgrad value_and_grad(smooth) argnums(0)

#ifdef VG_DRIVER
#include <string.h>

#include "pointer_rows.vg.h"
#include "fdcheck.h"

static REAL in_r0[3] = {0.4, -0.3, 0.25}, in_r1[1] = {0.8}, in_r2[2] = {-0.6, 0.5};
static REAL *in_rows[3] = {in_r0, in_r1, in_r2};
static const int in_len[3] = {3, 1, 2};
static REAL loss_ragged(void) { return ragged(in_rows, in_len, 3); }

static REAL in_m0[2] = {0.3, -0.7}, in_m1[2] = {0.45, 0.2};
static const REAL *const in_m[2] = {in_m0, in_m1};
static REAL in_v[2] = {0.9, -0.35};
static REAL loss_bilinear(void) { return bilinear(in_m, in_v, 2); }

/* smooth changes its rows: every run on a copy of these */
static REAL in_s[3][2] = {{0.3, -0.2}, {0.6, 0.1}, {-0.4, 0.75}};
static REAL work_s[3][2];
static REAL *work_rows[3] = {work_s[0], work_s[1], work_s[2]};
static REAL loss_smooth(void) {
  memcpy(work_s, in_s, sizeof work_s);
  return smooth(work_rows, 3, 2);
}

int main(void) {
  REAL d_r0[3] = {0}, d_r1[1] = {0}, d_r2[2] = {0};
  REAL *d_rows[3] = {d_r0, d_r1, d_r2};
  fd_value("ragged", ragged_value_and_grad(in_rows, in_len, 3, d_rows), loss_ragged());
  fd_check_array("ragged d_x[0]", in_r0, d_r0, 3, loss_ragged);
  fd_check_array("ragged d_x[1]", in_r1, d_r1, 1, loss_ragged);
  fd_check_array("ragged d_x[2]", in_r2, d_r2, 2, loss_ragged);

  REAL d_m0[2] = {0}, d_m1[2] = {0}, d_v[2] = {0};
  REAL *d_m[2] = {d_m0, d_m1};
  fd_value("bilinear", bilinear_value_and_grad(in_m, in_v, 2, d_m, d_v), loss_bilinear());
  fd_check_array("bilinear d_m[0]", in_m0, d_m0, 2, loss_bilinear);
  fd_check_array("bilinear d_m[1]", in_m1, d_m1, 2, loss_bilinear);
  fd_check_array("bilinear d_v", in_v, d_v, 2, loss_bilinear);

  REAL d_s[3][2] = {{0}};
  REAL *d_srows[3] = {d_s[0], d_s[1], d_s[2]};
  memcpy(work_s, in_s, sizeof work_s);
  REAL v = smooth_value_and_grad(work_rows, 3, 2, d_srows);
  REAL left[3][2];
  memcpy(left, work_s, sizeof left);
  fd_value("smooth", v, loss_smooth());
  for (int i = 0; i < 3; i++) /* the rows as the original leaves them */
    for (int j = 0; j < 2; j++)
      fd_same("smooth x", 2 * i + j, left[i][j], work_s[i][j]);
  for (int i = 0; i < 3; i++)
    fd_check_array("smooth d_x", in_s[i], d_s[i], 2, loss_smooth);
  return fd_report("pointer_rows");
}
#endif
