/* struct_matrix: a matrix struct whose data pointer is set inside the loss
 * (`m.data = malloc(...)`), made by helpers that return a new matrix by
 * value (mat_new) or on the heap (mat_alloc), written by a helper through
 * `Mat *out`, indexed as `m.data[i * m.cols + j]`, and freed in the loss
 * (free(m.data), mat_free).  Each pointer member gets a gradient buffer
 * allocated and freed beside it. */
#include <math.h>
#include <stdlib.h>

#ifndef REAL
#define REAL double
#endif

typedef struct {
  int rows, cols;
  REAL *data;
} Mat;

static Mat mat_new(int rows, int cols) {
  Mat m;
  m.rows = rows;
  m.cols = cols;
  m.data = calloc((size_t)(rows * cols), sizeof(REAL));
  return m;
}

static Mat *mat_alloc(int rows, int cols) {
  Mat *m = malloc(sizeof(Mat));
  m->rows = rows;
  m->cols = cols;
  m->data = malloc((size_t)(rows * cols) * sizeof(REAL));
  return m;
}

static void mat_free(Mat *m) {
  free(m->data);
  free(m);
}

/* out = a * b */
static void mat_mul(const Mat *a, const Mat *b, Mat *out) {
  for (int i = 0; i < a->rows; i++)
    for (int j = 0; j < b->cols; j++) {
      REAL s = 0;
      for (int k = 0; k < a->cols; k++)
        s += a->data[i * a->cols + k] * b->data[k * b->cols + j];
      out->data[i * out->cols + j] = s;
    }
}

/* sum of tanh(W x)^2 over a few rounds, W from w (n x n), x from v */
REAL struct_matrix(const REAL *w, const REAL *v, int n) {
  Mat W = mat_new(n, n);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      W.data[i * W.cols + j] = w[i * n + j];
  Mat x;
  x.rows = n;
  x.cols = 1;
  x.data = malloc((size_t)n * sizeof(REAL));
  for (int i = 0; i < n; i++)
    x.data[i] = v[i];
  REAL total = 0;
  for (int round = 0; round < 3; round++) {
    Mat *y = mat_alloc(n, 1);
    mat_mul(&W, &x, y);
    for (int i = 0; i < n; i++) {
      x.data[i] = tanh(y->data[i]);
      total += x.data[i] * x.data[i] * (round + 1);
    }
    mat_free(y);
  }
  free(x.data);
  free(W.data);
  return total;
}
#pragma vgrad value_and_grad(struct_matrix) argnums(0, 1)

#ifdef VG_DRIVER
#include "struct_matrix.vg.h"
#include "fdcheck.h"

static REAL in_w[9] = {0.4, -0.3, 0.2, 0.1, 0.5, -0.6, -0.2, 0.3, 0.7};
static REAL in_v[3] = {0.5, -0.8, 0.3};
static REAL loss(void) { return struct_matrix(in_w, in_v, 3); }

int main(void) {
  REAL d_w[9] = {0}, d_v[3] = {0};
  REAL value = struct_matrix_value_and_grad(in_w, in_v, 3, d_w, d_v);
  fd_value("value", value, loss());
  fd_check_array("d_w", in_w, d_w, 9, loss);
  fd_check_array("d_v", in_v, d_v, 3, loss);
  return fd_report("struct_matrix");
}
#endif
