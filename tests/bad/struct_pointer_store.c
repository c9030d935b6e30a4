// expect: 16:9: error: storing a pointer in 'other.data' is not supported: vgradcc follows a pointer held in a variable of its own, not in a struct member or an array; keep it in a local pointer variable ('double *data = ...') and use that
/* A local matrix struct whose data pointer is set inside the loss, and a
 * pointer that chooses between it and another struct at run time: the
 * member cannot be held in a variable of its own. */
#include <stdlib.h>

typedef struct {
  int rows, cols;
  double *data;
} Mat;

double f(const double *x, int n) {
  Mat m, other;
  m.rows = other.rows = n;
  m.cols = other.cols = 1;
  other.data = malloc(n * sizeof(double));
  m.data = malloc(n * sizeof(double));
  for (int i = 0; i < n; i++)
    m.data[i] = other.data[i] = x[i] * x[i];
  Mat *pick = n > 2 ? &m : &other;
  double s = 0;
  for (int i = 0; i < pick->rows; i++)
    s += pick->data[i];
  free(m.data);
  free(other.data);
  return s;
}
#pragma vgrad value_and_grad(f) argnums(0)
