// expect: 15:5: error: storing a pointer in 'm.data' is not supported: vgradcc follows a pointer held in a variable of its own, not in a struct member or an array; keep it in a local pointer variable ('double *data = ...') and use that
/* A local matrix struct whose data pointer is set inside the loss: the
 * pointer's gradient buffer would have to follow a struct member. */
#include <stdlib.h>

typedef struct {
  int rows, cols;
  double *data;
} Mat;

double f(const double *x, int n) {
  Mat m;
  m.rows = n;
  m.cols = 1;
  m.data = malloc(n * sizeof(double));
  for (int i = 0; i < n; i++)
    m.data[i] = x[i] * x[i];
  double s = 0;
  for (int i = 0; i < m.rows; i++)
    s += m.data[i];
  free(m.data);
  return s;
}
#pragma vgrad value_and_grad(f) argnums(0)
