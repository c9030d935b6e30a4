/* sin_chain: in a loop whose variable's next value goes through a sin or
 * cos of itself (x = x + h * sin(p * x)), the derivative's cos is computed
 * after the statement, out of line (vg_cos_apart), from the angle kept
 * before it, so that the C compiler does not fuse it with the sin into a
 * sincos on the chain from one iteration to the next.  Elsewhere (the
 * angle does not depend on the variable written) the two stay together
 * for sincos.  Float versions (-DREAL=float) use sinf and cosf. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif
#define PASTE(a, b) a##b
#define IS_FLOAT(t) PASTE(IS_, t)
#define IS_float 1
#if IS_FLOAT(REAL)
#define SIN sinf
#define COS cosf
#else
#define SIN sin
#define COS cos
#endif

REAL chain(REAL x0, REAL p, REAL h, int n) {
  REAL x = x0;
  for (int i = 0; i < n; i++)
    x = x + h * SIN(p * x);
  return x;
}
#pragma vgrad value_and_grad(chain) argnums(0, 1, 2)

/* the companion is the sin: x's adjoint through -sin */
REAL chain_cos(REAL x0, REAL p, int n) {
  REAL x = x0;
  for (int i = 0; i < n; i++)
    x = x - (REAL)0.05 * COS(p * x + (REAL)0.5);
  return x;
}
#pragma vgrad value_and_grad(chain_cos) argnums(0, 1)

/* no chain through the angle: sin and cos stay side by side */
REAL waves(const REAL *t, REAL w, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += SIN(w * t[i]) * t[i];
  return s;
}
#pragma vgrad value_and_grad(waves) argnums(0, 1)

#ifdef VG_DRIVER
#include "sin_chain.vg.h"
#include "fdcheck.h"

static REAL in_x0, in_p, in_h, in_t[9], in_w;
static int in_n;
static REAL loss_chain(void) { return chain(in_x0, in_p, in_h, in_n); }
static REAL loss_chain_cos(void) { return chain_cos(in_x0, in_p, in_n); }
static REAL loss_waves(void) { return waves(in_t, in_w, in_n); }

int main(void) {
  for (in_n = 0; in_n <= 9; in_n += 3) {
    in_x0 = (REAL)0.4;
    in_p = (REAL)1.3;
    in_h = (REAL)0.2;
    REAL d_x0 = 0, d_p = 0, d_h = 0;
    REAL v = chain_value_and_grad(in_x0, in_p, in_h, in_n, &d_x0, &d_p, &d_h);
    fd_value("chain", v, loss_chain());
    fd_check("chain d_x0", in_n, &in_x0, d_x0, loss_chain);
    fd_check("chain d_p", in_n, &in_p, d_p, loss_chain);
    fd_check("chain d_h", in_n, &in_h, d_h, loss_chain);

    d_x0 = d_p = 0;
    v = chain_cos_value_and_grad(in_x0, in_p, in_n, &d_x0, &d_p);
    fd_value("chain_cos", v, loss_chain_cos());
    fd_check("chain_cos d_x0", in_n, &in_x0, d_x0, loss_chain_cos);
    fd_check("chain_cos d_p", in_n, &in_p, d_p, loss_chain_cos);

    for (int i = 0; i < in_n; i++)
      in_t[i] = (REAL)(0.3 + 0.21 * i);
    in_w = (REAL)0.8;
    REAL d_t[9] = {0}, d_w = 0;
    v = waves_value_and_grad(in_t, in_w, in_n, d_t, &d_w);
    fd_value("waves", v, loss_waves());
    fd_check_array("waves d_t", in_t, d_t, in_n, loss_waves);
    fd_check("waves d_w", in_n, &in_w, d_w, loss_waves);
  }
  return fd_report("sin_chain");
}
#endif
