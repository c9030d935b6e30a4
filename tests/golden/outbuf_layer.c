/* outbuf_layer: a layer writes its output into a buffer the caller passes
 * (`out`, not selected), and the loss reads that buffer again.  The
 * generated function keeps out's gradient in a zeroed buffer of its own,
 * as long as the loop bound shows (n), freed before it returns; the
 * signature has no d_out, and the caller's out holds the layer's output
 * afterwards, as after net().  A second loss reads its scratch rows at
 * constant indices (length 3) and through *tmp. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

static void layer(REAL *out, const REAL *in, const REAL *w, REAL b, int n) {
  for (int i = 0; i < n; i++)
    out[i] = tanh(w[i] * in[i] + b);
}

REAL net(const REAL *w, REAL *out, const REAL *in, const REAL *y, int n) {
  layer(out, in, w, 0.1, n);
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += (out[i] - y[i]) * (out[i] - y[i]);
  return s;
}
#pragma vgrad value_and_grad(net) argnames(w)

REAL three(REAL a, REAL b, REAL *tmp) {
  *tmp = a * b;
  tmp[1] = sin(tmp[0]) + b;
  tmp[2] = tmp[1] * tmp[0];
  return tmp[2] + *tmp;
}
#pragma vgrad grad(three) argnums(0, 1)

#ifdef VG_DRIVER
#include "outbuf_layer.vg.h"
#include "fdcheck.h"

enum { N = 5 };
static REAL in_w[N] = {0.4, -0.7, 1.1, 0.2, -0.3};
static const REAL in_x[N] = {1.0, 0.5, -0.8, 1.7, 0.9};
static const REAL in_y[N] = {0.2, -0.1, 0.4, 0.3, -0.5};
static REAL net_loss(void) {
  REAL out[N];
  return net(in_w, out, in_x, in_y, N);
}

static REAL in_a = 0.7, in_b = -1.3;
static REAL three_loss(void) {
  REAL tmp[3];
  return three(in_a, in_b, tmp);
}

int main(void) {
  REAL out[N], want_out[N], d_w[N] = {0};
  REAL value = net_value_and_grad(in_w, out, in_x, in_y, N, d_w);
  REAL want = net(in_w, want_out, in_x, in_y, N);
  fd_value("value", value, want);
  for (int i = 0; i < N; i++)
    fd_exact("out", out[i], want_out[i]);
  fd_check_array("d_w", in_w, d_w, N, net_loss);

  REAL tmp[3], want_tmp[3], d_a = 0, d_b = 0;
  three_grad(in_a, in_b, tmp, &d_a, &d_b);
  three(in_a, in_b, want_tmp);
  for (int i = 0; i < 3; i++)
    fd_exact("tmp", tmp[i], want_tmp[i]);
  fd_check("d_a", -1, &in_a, d_a, three_loss);
  fd_check("d_b", -1, &in_b, d_b, three_loss);
  return fd_report("outbuf_layer");
}
#endif
