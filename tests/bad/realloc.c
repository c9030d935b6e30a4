// expect: 9:9: error: 'realloc' is not supported (it frees the old buffer, whose values the reverse sweep needs); allocate the final size with malloc or calloc, or malloc a second buffer and memcpy the values into it
/* realloc of a work array in a differentiated function. */
#include <stdlib.h>

double f(const double *x, int n) {
  double *buf = malloc(2 * sizeof(double));
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
