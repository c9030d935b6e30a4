/* pointer_moves_unselected_len: a pointer that starts in an input that is
 * not selected and then moves into the state (ADBench's LSTM: the layers'
 * input pointer walks from the sequence into the state), with the input's
 * length declared: the input gets a zeroed gradient buffer of its own,
 * freed before the function returns, for the pointer's adjoint to point
 * into while it is there; what lands in it is dropped. Spellings: a
 * length from an earlier parameter (`const REAL sequence[h]`), a fixed
 * length (`const REAL x[4]`) chosen by ?:. Without a declared length it
 * stays refused (bad/pointer_moves_unselected).
 *
 * The driver checks values and gradients (every entry of the selected
 * inputs) against central finite differences, float64 and float32, with
 * tests/fdcheck.h's steps and tolerances (|g - n| <= 1e-6 + 1e-5
 * max(|g|,|n|) for double, 2e-3 + 2e-2 max(...) for float). */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

REAL layers(int h, int L, const REAL *w, const REAL sequence[h], REAL *state) {
  const REAL *xp = sequence;
  REAL loss = 0;
  for (int l = 0; l < L; l++) {
    for (int i = 0; i < h; i++)
      state[l * h + i] = tanh(w[l * h + i] * xp[i] + (REAL)0.5 * state[l * h + i]);
    xp = state + l * h;
  }
  for (int i = 0; i < h; i++)
    loss += xp[i] * xp[i] + (REAL)0.1 * sequence[i];
  return loss;
}
#pragma vgrad value_and_grad(layers) argnames(w, state)

REAL choose(const REAL *w, const REAL x[4], int n) {
  REAL local[4];
  for (int i = 0; i < 4; i++)
    local[i] = sin(w[i]);
  const REAL *p = n > 2 ? local : x;
  REAL s = 0;
  for (int i = 0; i < 4; i++)
    s += p[i] * w[(i + 1) % 4] + x[i] * local[i];
  return s;
}
#pragma vgrad value_and_grad(choose) argnums(0)

#ifdef VG_DRIVER
#include "pointer_moves_unselected_len.vg.h"
#include "fdcheck.h"

enum { H = 3, L = 3 };
static REAL in_w[H * L] = {0.3, -0.5, 0.8, 0.2, 0.9, -0.4, 0.6, -0.7, 0.1};
static REAL in_seq[H] = {0.4, -0.2, 0.7};
static REAL in_state[H * L] = {0.1, 0.2, -0.3, 0.5, -0.1, 0.4, -0.6, 0.3, 0.2};
static REAL in_x[4] = {0.5, -0.3, 0.9, 0.2};
static int in_n;

static REAL loss_layers(void) {
  REAL st[H * L];
  for (int i = 0; i < H * L; i++)
    st[i] = in_state[i];
  return layers(H, L, in_w, in_seq, st);
}
static REAL loss_choose(void) { return choose(in_w, in_x, in_n); }

int main(void) {
  REAL st[H * L], d_w[H * L] = {0}, d_state[H * L] = {0};
  for (int i = 0; i < H * L; i++)
    st[i] = in_state[i];
  fd_value("layers", layers_value_and_grad(H, L, in_w, in_seq, st, d_w, d_state), loss_layers());
  fd_check_array("layers d_w", in_w, d_w, H * L, loss_layers);
  fd_check_array("layers d_state", in_state, d_state, H * L, loss_layers);
  for (in_n = 1; in_n <= 4; in_n += 3) { /* both arrays */
    REAL d_c[4] = {0};
    fd_value("choose", choose_value_and_grad(in_w, in_x, in_n, d_c), loss_choose());
    fd_check_array("choose d_w", in_w, d_c, 4, loss_choose);
  }
  return fd_report("pointer_moves_unselected_len");
}
#endif
