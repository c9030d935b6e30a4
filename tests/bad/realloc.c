// expect: 18:9: error: realloc of 'buf' is not supported here: 'buf' also holds 'make_buffer(2)', a block whose size this function does not know; realloc only blocks it allocates itself with malloc, calloc or realloc (or starts from NULL)
/* realloc of a buffer a helper allocated: the size of the block it holds
 * is not known where it is realloc'd, so the copy of the old values
 * cannot be made. */
#include <stdlib.h>

static double *make_buffer(int n) {
  double *b = malloc((size_t)n * sizeof(double));
  for (int i = 0; i < n; i++)
    b[i] = 0;
  return b;
}

double f(const double *x, int n) {
  double *buf = make_buffer(2);
  buf[0] = x[0];
  buf[1] = x[1];
  buf = realloc(buf, (size_t)n * sizeof(double));
  for (int i = 2; i < n; i++)
    buf[i] = buf[i - 1] * x[i];
  double s = buf[n - 1];
  free(buf);
  return s;
}
#pragma vgrad value_and_grad(f)
