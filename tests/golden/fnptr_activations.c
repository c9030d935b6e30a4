/* fnptr_activations: a small network whose layers choose their activation
 * at run time, through function pointers whose possible targets the file
 * shows: a static const table of this file's functions indexed by an int
 * (acts[kind[l]], called through a pointer variable and directly), a
 * pointer set by ?: and called as (*f)(x), a const global pointer, and
 * math.h functions through pointers (double (*)(double) = sin, and
 * c ? sin : cos).  Calls through a pointer that may hold several of the
 * file's functions become an if-chain of inlined calls; through several
 * math.h functions, a ?: of the calls.  FD f64/f32 for every kind. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

static REAL soft_relu(REAL x) { return log(1 + exp(x)); }
static REAL tanh_act(REAL x) { return tanh(x); }
static REAL softsign(REAL x) { return x / (1 + fabs(x)); }
static REAL cube(REAL x) { return x * x * x / 3; }

static REAL (*const acts[])(REAL) = {soft_relu, tanh_act, softsign, tanh_act};
REAL (*const output_act)(REAL) = cube;

/* Two layers of two units: layer l applies acts[kind[l]]. */
REAL net(const REAL *w, const REAL *x, const int *kind, int squash) {
  REAL h[2], o[2];
  for (int j = 0; j < 2; j++) {
    REAL (*act)(REAL) = acts[kind[0]];
    h[j] = act(w[2 * j] * x[0] + w[2 * j + 1] * x[1]);
  }
  for (int j = 0; j < 2; j++)
    o[j] = acts[kind[1]](w[4 + 2 * j] * h[0] + w[5 + 2 * j] * h[1]);
  REAL (*last)(REAL) = squash ? tanh_act : softsign;
  REAL y = (*last)(o[0] + o[1]);
  double (*wave)(double) = sin;
  double (*either)(double) = squash ? cos : sin;
  return output_act(y) + (REAL)wave(w[0] * y) + (REAL)either(w[1]);
}
#pragma vgrad value_and_grad(net) argnums(0, 1)

#ifdef VG_DRIVER
#include "fnptr_activations.vg.h"
#include "fdcheck.h"

static REAL in_w[8] = {0.5, -0.3, 0.8, 0.2, -0.6, 0.9, 0.4, -0.7};
static REAL in_x[2] = {0.7, -1.2};
static int kind[2], squash;
static REAL loss(void) { return net(in_w, in_x, kind, squash); }

int main(void) {
  for (int k0 = 0; k0 < 4; k0++)
    for (int k1 = 0; k1 < 4; k1 += 1 + k0 % 2)
      for (squash = 0; squash < 2; squash++) {
        kind[0] = k0;
        kind[1] = k1;
        REAL d_w[8] = {0}, d_x[2] = {0};
        char name[32];
        REAL v = net_value_and_grad(in_w, in_x, kind, squash, d_w, d_x);
        snprintf(name, sizeof name, "net %d %d %d", k0, k1, squash);
        fd_value(name, v, loss());
        fd_check_array("d_w", in_w, d_w, 8, loss);
        fd_check_array("d_x", in_x, d_x, 2, loss);
      }
  return fd_report("fnptr_activations");
}
#endif
