/* jacobian: `#pragma vgrad jacobian(f) argnames(x[n], ...) outputs(r[2 * m],
 * return) [mode(fwd|rev)]` writes the dense row-major Jacobian into
 * double *jac: rows the outputs in the order listed (`return` where it is
 * listed), columns the selected inputs' elements in the order listed, a
 * scalar one column.  Lengths are C expressions over f's int parameters.
 * Reverse mode runs a vjp per row, forward a jvp per column; without
 * mode(...) the fewer passes win, chosen at run time when the lengths are
 * not constants.  Spellings: an output written with `=` and one added to
 * with `+=` (each pass starts from what the caller passed), the return
 * value as a row first or last, scalar and array columns in either
 * order, constant lengths, a void function whose output a helper writes
 * through a walking pointer, float and double.
 *
 * The driver fills jac with NaN first (every entry must be written, zeros
 * included), then checks each entry against central finite differences of
 * the original function, float64 and float32, with tests/fdcheck.h's steps
 * and tolerances (|g - n| <= 1e-6 + 1e-5 max(|g|,|n|) for double, 2e-3 +
 * 2e-2 max(...) for float), the return value against the original's, and
 * the outputs against what one call of the original leaves. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL mix(const REAL *x, REAL a, int m, REAL *r) {
  REAL s = 0;
  for (int i = 0; i < m; i++) {
    r[2 * i] = a * sin(x[i]);
    r[2 * i + 1] += x[i] * x[(i + 1) % m];
    s += x[i];
  }
  return s * a;
}
#pragma vgrad jacobian(mix) argnames(x[m], a) outputs(r[2 * m], return)
#pragma vgrad jacobian(mix) argnames(a, x[m]) outputs(return, r[2*m]) mode(fwd) name(mix_fwd)
#pragma vgrad jacobian(mix) argnames(a, x[m]) outputs(return, r[2*m]) mode(rev) name(mix_rev)
#pragma vgrad jacobian(mix) argnames(x[3]) outputs(r[6]) name(mix_const)

static void fill(const REAL *w, REAL u, REAL *out, int k) {
  for (REAL *p = out; p < out + k; p++)
    *p = w[p - out] * u + (REAL)0.1 * (REAL)(p - out);
}
/* five inputs, two outputs: reverse by default */
void squash(const REAL w[4], REAL u, REAL out[2]) {
  REAL t[4];
  fill(w, u, t, 4);
  out[0] = tanh(t[0] + t[1]) * t[2];
  out[1] = exp(-t[3] * t[3]) + out[0];
}
#pragma vgrad jacobian(squash) argnames(w[4], u) outputs(out[2])

#ifdef VG_DRIVER
#include <stdio.h>
#include <string.h>

#include "jacobian.vg.h"
#include "fdcheck.h"

enum { M = 3 };
static REAL in_x[M] = {0.5, -0.9, 1.3}, in_a = 0.8, in_r[2 * M] = {0.1, 0.2, -0.3, 0.4, 0.05, -0.6};
static int row; /* of mix's rows: r[0..2M-1], then the return value */

static REAL mix_row(void) {
  REAL r[2 * M];
  memcpy(r, in_r, sizeof r);
  REAL v = mix(in_x, in_a, M, r);
  return row < 2 * M ? r[row] : v;
}

typedef REAL (*MixJac)(const REAL *, REAL, int, REAL *, double *);

/* jac of mix, in its pragma's order: return_first, a_first say where the
 * return row and the column of a are */
static void check_mix(const char *name, MixJac fn, int nrows, int return_first, int ncols, int a_first) {
  double jac[(2 * M + 1) * (M + 1)];
  for (size_t i = 0; i < sizeof jac / sizeof jac[0]; i++)
    jac[i] = NAN;
  REAL r[2 * M], r_ref[2 * M];
  memcpy(r, in_r, sizeof r);
  memcpy(r_ref, in_r, sizeof r);
  REAL v = fn(in_x, in_a, M, r, jac);
  fd_value(name, v, mix(in_x, in_a, M, r_ref));
  for (int i = 0; i < 2 * M; i++)
    fd_same(name, i, r[i], r_ref[i]);
  for (int k = 0; k < nrows; k++) {
    int has_return = nrows == 2 * M + 1;
    row = has_return && return_first ? (k == 0 ? 2 * M : k - 1) : k;
    for (int c = 0; c < ncols; c++) {
      int has_a = ncols == M + 1;
      REAL *input = has_a && a_first ? (c == 0 ? &in_a : &in_x[c - 1]) : c < M ? &in_x[c] : &in_a;
      fd_check(name, k * ncols + c, input, jac[k * ncols + c], mix_row);
    }
  }
}

static REAL in_w[4] = {0.3, -0.7, 1.1, 0.4}, in_u = 0.6;
static REAL squash_row(void) {
  REAL out[2];
  squash(in_w, in_u, out);
  return out[row];
}

int main(void) {
  check_mix("mix (rows 7 > columns 4: forward)", mix_jacobian, 2 * M + 1, 0, M + 1, 0);
  check_mix("mix_fwd", mix_fwd, 2 * M + 1, 1, M + 1, 1);
  check_mix("mix_rev", mix_rev, 2 * M + 1, 1, M + 1, 1);
  check_mix("mix_const", mix_const, 2 * M, 0, M, 0);

  double jac[2 * 5];
  for (int i = 0; i < 10; i++)
    jac[i] = NAN;
  REAL out[2], out_ref[2];
  squash_jacobian(in_w, in_u, out, jac);
  squash(in_w, in_u, out_ref);
  for (int i = 0; i < 2; i++) {
    fd_same("squash out", i, out[i], out_ref[i]);
    row = i;
    for (int c = 0; c < 5; c++)
      fd_check("squash jac", i * 5 + c, c < 4 ? &in_w[c] : &in_u, jac[i * 5 + c], squash_row);
  }
  return fd_report("jacobian");
}
#endif
