/* pointer_walk_layers: a layer loop whose input pointer starts in the
 * input sequence and then walks through the state array: `xp = x` before
 * the loop, `xp = state + 2 * l * h` at the end of each layer (an LSTM's
 * layers reading the previous layer's output).  The adjoint pointer d_xp
 * follows xp assignment by assignment; state, written directly and read
 * through xp, is one memory with x for the analyses. */
#ifndef REAL
#define REAL double
#endif
#include <math.h>

REAL pointer_walk_layers(const REAL *x, const REAL *w, int layers, int h) {
  REAL state[3 * 2 * 2];
  const REAL *xp = x;
  for (int l = 0; l < layers; l++) {
    const REAL *wl = w + l * h * h;
    for (int j = 0; j < h; j++) {
      REAL a = 0;
      for (int k = 0; k < h; k++)
        a += wl[j * h + k] * xp[k];
      state[2 * l * h + j] = tanh(a);
      state[2 * l * h + h + j] = a * a;
    }
    xp = state + 2 * l * h;
  }
  REAL s = 0;
  for (int j = 0; j < h; j++)
    s += xp[j] * xp[h + j] + xp[j];
  return s;
}
#pragma vgrad value_and_grad(pointer_walk_layers) argnums(0, 1)

#ifdef VG_DRIVER
#include "pointer_walk_layers.vg.h"
#include "fdcheck.h"

/* 3 layers of h = 2 */
static REAL in_x[2] = {0.4, -0.7};
static REAL in_w[12] = {0.5, -0.3, 0.8, 0.2, -0.6, 0.9, 0.35, -0.45, 0.7, 0.15, -0.25, 0.55};
static REAL loss(void) { return pointer_walk_layers(in_x, in_w, 3, 2); }

int main(void) {
  REAL d_x[2] = {0}, d_w[12] = {0};
  REAL v = pointer_walk_layers_value_and_grad(in_x, in_w, 3, 2, d_x, d_w);
  fd_value("value", v, loss());
  fd_check_array("d_x", in_x, d_x, 2, loss);
  fd_check_array("d_w", in_w, d_w, 12, loss);
  return fd_report("pointer_walk_layers");
}
#endif
