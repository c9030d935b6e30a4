/* outbuf_scratch: a scratch buffer parameter, not selected, written and
 * read again at every step of a loop (a small recurrence).  Its length is
 * the one the parameter is declared with: `REAL h[n]` (n a parameter
 * before it) and `REAL h[4]`; the gradient of h lives in a zeroed buffer of
 * the generated function, and h holds the last step's values afterwards, as
 * after the original. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL rnn(const REAL *w, int n, REAL h[n], const REAL *x, int steps) {
  for (int i = 0; i < n; i++)
    h[i] = 0;
  REAL s = 0;
  for (int t = 0; t < steps; t++) {
    for (int i = 0; i < n; i++)
      h[i] = tanh(w[i] * h[i] + x[t] * w[(i + 1) % n]);
    for (int i = 0; i < n; i++)
      s += h[i] * h[i];
  }
  return s;
}
#pragma vgrad value_and_grad(rnn)

REAL rnn4(const REAL *w, REAL h[4], const REAL *x, int steps) {
  REAL s = 0;
  for (int t = 0; t < steps; t++) {
    REAL *row = h;
    for (int i = 0; i < 4; i++)
      row[i] = sin(w[i] * row[i] + x[t]);
    s += h[0] * h[3] - h[1] * h[2];
  }
  return s;
}
#pragma vgrad value_and_grad(rnn4) argnames(w)

#ifdef VG_DRIVER
#include "outbuf_scratch.vg.h"
#include "fdcheck.h"

enum { N = 3, STEPS = 4 };
static REAL in_w[N] = {0.6, -0.9, 1.2};
static const REAL in_x[STEPS] = {0.5, -0.3, 0.8, 0.1};
static REAL rnn_loss(void) {
  REAL h[N];
  return rnn(in_w, N, h, in_x, STEPS);
}

static REAL in_w4[4] = {0.3, -0.5, 0.9, 0.7};
static REAL h4_start[4] = {0.1, 0.2, -0.3, 0.4};
static REAL rnn4_loss(void) {
  REAL h[4] = {h4_start[0], h4_start[1], h4_start[2], h4_start[3]};
  return rnn4(in_w4, h, in_x, STEPS);
}

int main(void) {
  REAL h[N], want_h[N], d_w[N] = {0};
  REAL value = rnn_value_and_grad(in_w, N, h, in_x, STEPS, d_w);
  fd_value("value", value, rnn(in_w, N, want_h, in_x, STEPS));
  for (int i = 0; i < N; i++)
    fd_exact("h", h[i], want_h[i]);
  fd_check_array("d_w", in_w, d_w, N, rnn_loss);

  REAL g[4] = {h4_start[0], h4_start[1], h4_start[2], h4_start[3]};
  REAL want_g[4] = {h4_start[0], h4_start[1], h4_start[2], h4_start[3]};
  REAL d_w4[4] = {0};
  value = rnn4_value_and_grad(in_w4, g, in_x, STEPS, d_w4);
  fd_value("value4", value, rnn4(in_w4, want_g, in_x, STEPS));
  for (int i = 0; i < 4; i++)
    fd_exact("h4", g[i], want_g[i]);
  fd_check_array("d_w4", in_w4, d_w4, 4, rnn4_loss);
  return fd_report("outbuf_scratch");
}
#endif
