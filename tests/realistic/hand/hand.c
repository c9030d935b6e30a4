/* A hand-tracking objective in the style of the published hand model
 * benchmarks, written on a heap matrix struct: helpers return new
 * matrices (mat_create, mat_mult, mat_get_block) that the caller frees
 * with mat_delete.  Each bone's pose turns its base transform; the
 * transforms are chained through the bone hierarchy, the vertices are
 * skinned with per-bone weights, turned and moved by the global pose, and
 * compared with the observed points.
 *
 * theta: global rotation (angle-axis, 3), global translation (3), then
 * two angles per bone (flexion about x, abduction about z). */
#include "hand.h"

#include <math.h>
#include <stdlib.h>

typedef struct {
  int rows, cols;
  REAL *data;
} Matrix;

#define AT(m, i, j) ((m)->data[(i) * (m)->cols + (j)])

static Matrix *mat_create(int rows, int cols) {
  Matrix *m = malloc(sizeof(Matrix));
  m->rows = rows;
  m->cols = cols;
  m->data = calloc((size_t)(rows * cols), sizeof(REAL));
  return m;
}

static void mat_delete(Matrix *m) {
  free(m->data);
  free(m);
}

static Matrix *mat_from(int rows, int cols, const REAL *values) {
  Matrix *m = mat_create(rows, cols);
  for (int i = 0; i < rows * cols; i++)
    m->data[i] = values[i];
  return m;
}

static Matrix *mat_mult(const Matrix *a, const Matrix *b) {
  Matrix *out = mat_create(a->rows, b->cols);
  for (int i = 0; i < a->rows; i++)
    for (int j = 0; j < b->cols; j++) {
      REAL s = 0;
      for (int k = 0; k < a->cols; k++)
        s += AT(a, i, k) * AT(b, k, j);
      AT(out, i, j) = s;
    }
  return out;
}

/* rows [row, row + rows) of m, as a new matrix */
static Matrix *mat_get_block(const Matrix *m, int row, int rows) {
  Matrix *out = mat_create(rows, m->cols);
  for (int i = 0; i < rows; i++)
    for (int j = 0; j < m->cols; j++)
      AT(out, i, j) = AT(m, row + i, j);
  return out;
}

static void mat_set_block(Matrix *m, int row, const Matrix *block) {
  for (int i = 0; i < block->rows; i++)
    for (int j = 0; j < block->cols; j++)
      AT(m, row + i, j) = AT(block, i, j);
}

/* Rodrigues' formula; the identity for a (near) zero rotation */
static Matrix *angle_axis_to_rotation(const REAL *aa) {
  Matrix *r = mat_create(3, 3);
  REAL sqnorm = aa[0] * aa[0] + aa[1] * aa[1] + aa[2] * aa[2];
  if (sqnorm < 1e-12) {
    for (int i = 0; i < 3; i++)
      AT(r, i, i) = 1;
    return r;
  }
  REAL angle = sqrt(sqnorm);
  REAL x = aa[0] / angle, y = aa[1] / angle, z = aa[2] / angle;
  REAL s = sin(angle), c = cos(angle), t = 1 - c;
  AT(r, 0, 0) = t * x * x + c;
  AT(r, 0, 1) = t * x * y - s * z;
  AT(r, 0, 2) = t * x * z + s * y;
  AT(r, 1, 0) = t * x * y + s * z;
  AT(r, 1, 1) = t * y * y + c;
  AT(r, 1, 2) = t * y * z - s * x;
  AT(r, 2, 0) = t * x * z - s * y;
  AT(r, 2, 1) = t * y * z + s * x;
  AT(r, 2, 2) = t * z * z + c;
  return r;
}

/* the 4x4 transform turning by `flex` about x, then `abduct` about z */
static Matrix *bone_rotation(REAL flex, REAL abduct) {
  Matrix *rx = mat_create(4, 4), *rz = mat_create(4, 4);
  AT(rx, 0, 0) = 1;
  AT(rx, 1, 1) = cos(flex);
  AT(rx, 1, 2) = -sin(flex);
  AT(rx, 2, 1) = sin(flex);
  AT(rx, 2, 2) = cos(flex);
  AT(rx, 3, 3) = 1;
  AT(rz, 0, 0) = cos(abduct);
  AT(rz, 0, 1) = -sin(abduct);
  AT(rz, 1, 0) = sin(abduct);
  AT(rz, 1, 1) = cos(abduct);
  AT(rz, 2, 2) = 1;
  AT(rz, 3, 3) = 1;
  Matrix *r = mat_mult(rz, rx);
  mat_delete(rx);
  mat_delete(rz);
  return r;
}

REAL hand_objective(const REAL *theta, int n_bones, const int *parents, const REAL *base_relatives,
                    const REAL *inverse_base_absolutes, int n_vertices, const REAL *base_positions,
                    const REAL *weights, int n_points, const int *correspondences, const REAL *points) {
  /* the bones' absolute transforms, 4 rows each, parents before children */
  Matrix *absolutes = mat_create(4 * n_bones, 4);
  Matrix *transforms = mat_create(4 * n_bones, 4);
  for (int b = 0; b < n_bones; b++) {
    Matrix *base = mat_from(4, 4, base_relatives + 16 * b);
    Matrix *turn = bone_rotation(theta[6 + 2 * b], theta[6 + 2 * b + 1]);
    Matrix *relative = mat_mult(base, turn);
    Matrix *absolute;
    if (parents[b] < 0) {
      absolute = mat_get_block(relative, 0, 4);
    } else {
      Matrix *parent = mat_get_block(absolutes, 4 * parents[b], 4);
      absolute = mat_mult(parent, relative);
      mat_delete(parent);
    }
    mat_set_block(absolutes, 4 * b, absolute);
    Matrix *inverse_base = mat_from(4, 4, inverse_base_absolutes + 16 * b);
    Matrix *transform = mat_mult(absolute, inverse_base);
    mat_set_block(transforms, 4 * b, transform);
    mat_delete(transform);
    mat_delete(inverse_base);
    mat_delete(absolute);
    mat_delete(relative);
    mat_delete(turn);
    mat_delete(base);
  }

  /* linear blend skinning: each vertex by the weighted bone transforms */
  Matrix *positions = mat_create(n_vertices, 3);
  for (int v = 0; v < n_vertices; v++) {
    Matrix *rest = mat_from(4, 1, base_positions + 4 * v);
    for (int b = 0; b < n_bones; b++) {
      Matrix *block = mat_get_block(transforms, 4 * b, 4);
      Matrix *moved = mat_mult(block, rest);
      for (int i = 0; i < 3; i++)
        AT(positions, v, i) += weights[v * n_bones + b] * AT(moved, i, 0);
      mat_delete(moved);
      mat_delete(block);
    }
    mat_delete(rest);
  }

  /* the global pose, then the squared distances to the observed points */
  Matrix *rotation = angle_axis_to_rotation(theta);
  REAL err = 0;
  for (int p = 0; p < n_points; p++) {
    int v = correspondences[p];
    for (int i = 0; i < 3; i++) {
      REAL x = theta[3 + i];
      for (int k = 0; k < 3; k++)
        x += AT(rotation, i, k) * AT(positions, v, k);
      REAL d = points[3 * p + i] - x;
      err += d * d;
    }
  }
  mat_delete(rotation);
  mat_delete(positions);
  mat_delete(transforms);
  mat_delete(absolutes);
  return 0.5 * err;
}
#pragma vgrad value_and_grad(hand_objective) argnames(theta)
