/* jvp_mlp: forward mode of an MLP-like layer, h = tanh(W x + b), written
 * into an output vector (outputs(h): the tangent of each entry, t_h), the
 * rows reached through a pointer (row = W + i * m), and the layer's mean
 * returned (t_ret).  The tangent is taken w.r.t. the weights, the bias and
 * the input together. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL jvp_mlp(const REAL *W, const REAL *b, const REAL *x, int n, int m, REAL *h) {
  REAL mean = 0;
  for (int i = 0; i < n; i++) {
    const REAL *row = W + i * m;
    REAL z = b[i];
    for (int j = 0; j < m; j++)
      z += row[j] * x[j];
    h[i] = tanh(z);
    mean += h[i] / n;
  }
  return mean;
}
#pragma vgrad jvp(jvp_mlp) argnames(W, b, x) outputs(h)

#ifdef VG_DRIVER
#include "jvp_mlp.vg.h"
#include "fdcheck.h"

enum { N = 3, M = 4 };
static REAL in_W[N * M], in_b[N], in_x[M];
static REAL dir_W[N * M], dir_b[N], dir_x[M];

static double along(REAL eps, int index) {
  REAL W[N * M], b[N], x[M], h[N];
  for (int i = 0; i < N * M; i++)
    W[i] = in_W[i] + eps * dir_W[i];
  for (int i = 0; i < N; i++)
    b[i] = in_b[i] + eps * dir_b[i];
  for (int j = 0; j < M; j++)
    x[j] = in_x[j] + eps * dir_x[j];
  REAL mean = jvp_mlp(W, b, x, N, M, h);
  return index < 0 ? mean : h[index];
}

int main(void) {
  for (int i = 0; i < N * M; i++) {
    in_W[i] = (REAL)(0.4 * sin(1.3 * i + 0.2));
    dir_W[i] = (REAL)cos(0.7 * i);
  }
  for (int i = 0; i < N; i++) {
    in_b[i] = (REAL)(0.1 * i - 0.2);
    dir_b[i] = (REAL)(1.0 - 0.6 * i);
  }
  for (int j = 0; j < M; j++) {
    in_x[j] = (REAL)(0.5 - 0.3 * j);
    dir_x[j] = (REAL)(0.2 * j + 0.3);
  }
  REAL h[N], h_ref[N], t_h[N], t_ret = -99;
  for (int i = 0; i < N; i++)
    t_h[i] = -99; /* written, every entry */
  REAL v = jvp_mlp_jvp(in_W, in_b, in_x, N, M, h, dir_W, dir_b, dir_x, &t_ret, t_h);
  fd_value("value", v, jvp_mlp(in_W, in_b, in_x, N, M, h_ref));
  for (int i = 0; i < N; i++)
    fd_same("h", i, h[i], h_ref[i]);
  fd_check_tangent("t_ret", -1, t_ret, along);
  for (int i = 0; i < N; i++)
    fd_check_tangent("t_h", i, t_h[i], along);
  return fd_report("jvp_mlp");
}
#endif
