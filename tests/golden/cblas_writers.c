// link: -lopenblas
/* cblas_writers: the CBLAS functions that write through a pointer use
 * vgradcc's built-in rules (runtime/vgrad_cblas.h) with <cblas.h>
 * included: a two-layer network on a batch of three written with
 * cblas_dgemm (row-major, B transposed, beta 0.5 so C is read, ldc 6 > n 5
 * so C has gaps the call leaves alone), cblas_dgemv, cblas_daxpy into a
 * strided vector (increment 2: its gaps keep their gradient), cblas_dscal
 * in place, then a column-major dgemm with A transposed and beta 0, and a
 * transposed column-major dgemv with a negative increment.  The forward
 * sweep calls OpenBLAS, the reverse sweep the rules, which get the values
 * each call overwrote back from the tape; float uses the s versions.  The
 * driver links Debian's libopenblas.  The outputs' old values (gaps
 * included) depend on the inputs, so every path through a rule counts.
 * FD f64/f32, gradient and tangent. */
#include <cblas.h>
#include <math.h>
#ifndef REAL
#define REAL double
#define GEMM cblas_dgemm
#define GEMV cblas_dgemv
#define AXPY cblas_daxpy
#define SCAL cblas_dscal
#else
#define GEMM cblas_sgemm
#define GEMV cblas_sgemv
#define AXPY cblas_saxpy
#define SCAL cblas_sscal
#endif

REAL cblas_writers(const REAL *x, const REAL *w1, const REAL *w2, REAL a) {
  REAL h[3 * 6];
  for (int i = 0; i < 18; i++)
    h[i] = 0.05 * i * a - 0.3 * x[i % 12];
  GEMM(CblasRowMajor, CblasNoTrans, CblasTrans, 3, 5, 4, 1.0, x, 4, w1, 4, 0.5, h, 6);
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 5; j++)
      h[i * 6 + j] = tanh(h[i * 6 + j]);
  REAL o[3] = {0.2 * x[1], -0.1, 0.3 + x[2]};
  GEMV(CblasRowMajor, CblasNoTrans, 3, 5, a, h, 6, w2, 1, 1.0, o, 1);
  REAL z[6] = {0.1, 0.4 * w2[0], -0.2, 0.3 + w2[1], 0.5, -0.6 * w2[2]};
  AXPY(3, a, o, 1, z, 2);
  SCAL(3, 0.5 * a, z, 2);
  REAL g[4] = {9, 9, 9, 9};
  GEMM(CblasColMajor, CblasTrans, CblasNoTrans, 2, 2, 3, a, h, 6, z, 3, 0.0, g, 2);
  REAL v[2] = {0.7 * x[3], -0.4};
  GEMV(CblasColMajor, CblasTrans, 3, 2, 0.8, z, 3, o, -1, a, v, 1);
  REAL s = 0;
  for (int i = 0; i < 6; i++)
    s += z[i] * z[i] + h[i + 6] * h[i];
  for (int i = 0; i < 4; i++)
    s += g[i] * (1 + 0.1 * i);
  return s + v[0] * v[1] + o[0] * h[5] + h[11];
}
#pragma vgrad value_and_grad(cblas_writers) argnums(all)
#pragma vgrad jvp(cblas_writers) argnums(all)

#ifdef VG_DRIVER
#include "cblas_writers.vg.h"
#include "fdcheck.h"

enum { NX = 12, NW1 = 20, NW2 = 5 };
static REAL in_x[NX], in_w1[NW1], in_w2[NW2], in_a = 0.9;
static REAL dir_x[NX], dir_w1[NW1], dir_w2[NW2], dir_a = -0.4;

static REAL loss(void) { return cblas_writers(in_x, in_w1, in_w2, in_a); }

static double along(REAL eps, int index) {
  (void)index;
  REAL x[NX], w1[NW1], w2[NW2];
  for (int i = 0; i < NX; i++)
    x[i] = in_x[i] + eps * dir_x[i];
  for (int i = 0; i < NW1; i++)
    w1[i] = in_w1[i] + eps * dir_w1[i];
  for (int i = 0; i < NW2; i++)
    w2[i] = in_w2[i] + eps * dir_w2[i];
  return cblas_writers(x, w1, w2, in_a + eps * dir_a);
}

int main(void) {
  for (int i = 0; i < NX; i++) {
    in_x[i] = sin(1.3 * i + 0.2);
    dir_x[i] = cos(0.7 * i);
  }
  for (int i = 0; i < NW1; i++) {
    in_w1[i] = 0.4 * cos(0.9 * i + 0.5);
    dir_w1[i] = sin(0.3 * i + 1);
  }
  for (int i = 0; i < NW2; i++) {
    in_w2[i] = 0.5 - 0.2 * i;
    dir_w2[i] = 0.3 * i - 0.5;
  }
  REAL d_x[NX] = {0}, d_w1[NW1] = {0}, d_w2[NW2] = {0}, d_a = 0;
  REAL v = cblas_writers_value_and_grad(in_x, in_w1, in_w2, in_a, d_x, d_w1, d_w2, &d_a);
  fd_value("cblas_writers", v, loss());
  fd_check_array("d_x", in_x, d_x, NX, loss);
  fd_check_array("d_w1", in_w1, d_w1, NW1, loss);
  fd_check_array("d_w2", in_w2, d_w2, NW2, loss);
  fd_check("d_a", -1, &in_a, d_a, loss);
  REAL t_ret = -99;
  REAL vj = cblas_writers_jvp(in_x, in_w1, in_w2, in_a, dir_x, dir_w1, dir_w2, dir_a, &t_ret);
  fd_value("cblas_writers (jvp)", vj, loss());
  fd_check_tangent("t_ret", -1, t_ret, along);
  return fd_report("cblas_writers");
}
#endif
