/* kept_state: the caller's memory after the gradient call holds what the
 * plain call leaves there, every byte, when the reverse sweep restores it.
 * `layers`: a recurrence written into the caller's state through pointers
 * that walk it (ADBench LSTM's hidden = &s[i], cell = &s[i + b]) and a
 * buffer written at every other element, whose untouched elements lie
 * inside the span written; that memory is kept whole after the forward
 * sweep and put back after the reverse one (a vg_extent per parameter), not
 * put on the redo tape element by element, which the tape bytes check.
 * `spellings`: the same written `*(buf + t)`, through a walking pointer
 * and into rows of a two-dimensional parameter.  `either`: a pointer that
 * may point into the caller's buffer or into a local array still takes the
 * redo tape. */
#ifndef REAL
#define REAL double
#endif
#include <math.h>

REAL layers(const REAL *w, REAL *state, REAL *strided, const REAL *x, int depth, int b, int steps) {
  REAL total = 0;
  for (int t = 0; t < steps; t++) {
    const REAL *in = x + t * b;
    for (int l = 0; l < depth; l++) {
      REAL *hidden = &state[2 * l * b];
      REAL *cell = hidden + b;
      for (int i = 0; i < b; i++) {
        cell[i] = cell[i] * (REAL)0.5 + tanh(w[l * b + i] * in[i]);
        hidden[i] = tanh(cell[i]) * w[l * b + i];
      }
      in = hidden;
    }
    for (int i = 0; i < b; i++)
      total += in[i] * in[i];
    for (int i = 0; i < b; i++)
      strided[2 * i] = strided[2 * i] * (REAL)0.9 + in[i];
  }
  return total + strided[0] * strided[2];
}
#pragma vgrad value_and_grad(layers) argnums(0, 1, 2, 3)

/* the same through other spellings: *(p + i), a pointer walking through
 * the buffer (q++), rows of a two-dimensional parameter */
REAL spellings(REAL *buf, REAL (*rows)[3], const REAL *x, int n) {
  REAL total = 0;
  REAL *q = buf;
  for (int t = 0; t < n; t++) {
    *(buf + t) = *(buf + t) * (REAL)0.5 + x[t];
    total += buf[t] * x[t];
    *q = *q * (REAL)0.25 + total;
    total += *q;
    q++;
    rows[t % 2][t % 3] = rows[t % 2][t % 3] * x[t] + (REAL)0.1;
    total += rows[t % 2][t % 3];
  }
  return total;
}
#pragma vgrad value_and_grad(spellings) argnums(0, 1, 2)

REAL either(REAL *buf, const REAL *x, int n) {
  REAL local[2] = {0.5, -0.25}, total = 0;
  for (int t = 0; t < n; t++) {
    REAL *dst = t % 2 ? buf + 1 : local;
    dst[0] = dst[0] * (REAL)0.5 + x[t] * x[t];
    total += dst[0] * x[t] + local[0];
  }
  return total;
}
#pragma vgrad value_and_grad(either) argnums(0, 1)

#ifdef VG_DRIVER
#include <string.h>
#include <vgrad.h>

#include "kept_state.vg.h"
#include "fdcheck.h"

enum { DEPTH = 2, B = 3, STEPS = 4, NS = 2 * DEPTH * B, NB = 2 * B + 2 };
static REAL in_w[DEPTH * B] = {0.9, -0.7, 0.8, 0.6, 1.1, -0.5};
static REAL in_state[NS] = {0.1, -0.2, 0.3, 0.05, 0.15, -0.1, 0.2, 0.25, -0.3, 0.12, -0.05, 0.4};
static REAL in_strided[NB] = {0.2, 7.0, -0.1, 8.0, 0.3, 9.0, 10.0, 11.0};
static REAL in_x[STEPS * B] = {0.5, -0.4, 0.3, 0.2, 0.1, -0.6, 0.7, -0.2, 0.4, -0.3, 0.6, 0.1};
static REAL work_state[NS], work_strided[NB];

static REAL loss_layers(void) {
  memcpy(work_state, in_state, sizeof in_state);
  memcpy(work_strided, in_strided, sizeof in_strided);
  return layers(in_w, work_state, work_strided, in_x, DEPTH, B, STEPS);
}

static REAL in_buf[3] = {0.3, -0.6, 0.9}, work_buf[3];
static REAL in_xe[5] = {0.4, -0.3, 0.8, 0.2, -0.5};
static REAL loss_either(void) {
  memcpy(work_buf, in_buf, sizeof in_buf);
  return either(work_buf, in_xe, 5);
}

static REAL in_sb[6] = {0.2, -0.1, 0.4, 0.3, -0.5, 12.0}, work_sb[6];
static REAL in_rows[2][3] = {{0.5, -0.2, 0.1}, {0.3, 0.6, -0.4}}, work_rows[2][3];
static REAL loss_spellings(void) {
  memcpy(work_sb, in_sb, sizeof in_sb);
  memcpy(work_rows, in_rows, sizeof in_rows);
  return spellings(work_sb, work_rows, in_xe, 5);
}

int main(void) {
  REAL d_w[DEPTH * B] = {0}, d_state[NS] = {0}, d_strided[NB] = {0}, d_x[STEPS * B] = {0};
  REAL state[NS], strided[NB];
  memcpy(state, in_state, sizeof state);
  memcpy(strided, in_strided, sizeof strided);
  vg_memory_stats stats;
  vg_memory_stats_reset();
  REAL v = layers_value_and_grad(in_w, state, strided, in_x, DEPTH, B, STEPS, d_w, d_state, d_strided, d_x);
  vg_memory_stats_get(&stats);
  fd_value("layers", v, loss_layers());
  /* work_* hold what the plain call leaves: the same bytes */
  fd_same("state as the plain call leaves it", -1, memcmp(state, work_state, sizeof state) == 0, 1);
  fd_same("strided as the plain call leaves it", -1, memcmp(strided, work_strided, sizeof strided) == 0, 1);
  fd_same("strided's odd elements untouched", -1, strided[1] == 7.0 && strided[3] == 8.0 && strided[5] == 9.0, 1);
  /* per step and layer and element: tanh's argument, the old cell and the
   * caller's d_state there (set aside while the write's adjoint forms),
   * tanh of the cell, the old hidden value and its d_state (the two tanh
   * values are C's tanh of a double: doubles in a float build too); per
   * step and element the old strided value and its d_strided; per step
   * and layer, and once more per step, the pointer `in` and its adjoint.
   * On the redo tape each of the 15 caller values a step restores would
   * add a double, an int and a pointer (1200 bytes more as double). */
  double bytes = (double)STEPS * ((DEPTH + 1) * 2 * sizeof(void *) + DEPTH * B * 2 * sizeof(double) +
                                  (DEPTH * B * 4 + B * 2) * sizeof(REAL));
  fd_value("tape bytes pushed", (double)stats.tape_bytes_pushed, bytes);
  fd_check_array("layers d_w", in_w, d_w, DEPTH * B, loss_layers);
  fd_check_array("layers d_state", in_state, d_state, NS, loss_layers);
  fd_check_array("layers d_strided", in_strided, d_strided, NB, loss_layers);
  fd_check_array("layers d_x", in_x, d_x, STEPS * B, loss_layers);

  {
    REAL d_sb[6] = {0}, d_rows[2][3] = {{0}}, d_xs[5] = {0}, sb[6], rows[2][3];
    memcpy(sb, in_sb, sizeof sb);
    memcpy(rows, in_rows, sizeof rows);
    v = spellings_value_and_grad(sb, rows, in_xe, 5, d_sb, d_rows, d_xs);
    fd_value("spellings", v, loss_spellings());
    fd_same("sb as the plain call leaves it", -1, memcmp(sb, work_sb, sizeof sb) == 0, 1);
    fd_same("sb[5] untouched", -1, sb[5] == in_sb[5], 1);
    fd_same("rows as the plain call leaves them", -1, memcmp(rows, work_rows, sizeof rows) == 0, 1);
    fd_check_array("spellings d_sb", in_sb, d_sb, 5, loss_spellings);
    fd_check_array("spellings d_rows", &in_rows[0][0], &d_rows[0][0], 6, loss_spellings);
    fd_check_array("spellings d_x", in_xe, d_xs, 5, loss_spellings);
  }

  REAL d_buf[3] = {0}, d_xe[5] = {0}, buf[3];
  memcpy(buf, in_buf, sizeof buf);
  v = either_value_and_grad(buf, in_xe, 5, d_buf, d_xe);
  fd_value("either", v, loss_either());
  fd_same("buf as the plain call leaves it", -1, memcmp(buf, work_buf, sizeof buf) == 0, 1);
  fd_check_array("either d_buf", in_buf, d_buf, 3, loss_either);
  fd_check_array("either d_xe", in_xe, d_xe, 5, loss_either);
  return fd_report("kept_state");
}
#endif
