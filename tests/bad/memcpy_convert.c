// expect: 7:3: error: 'memcpy' from 'x' (float) to 'wide' (double) copies bytes, not values; copy the elements in a loop, converting each
/* memcpy between arrays of float and double: bytes, not numbers. */
#include <string.h>

double f(const float *x, int n) {
  double wide[8];
  memcpy(wide, x, n * sizeof *x);
  double s = 0;
  for (int i = 0; i < n; i++)
    s += wide[i] * x[i];
  return s;
}
#pragma vgrad value_and_grad(f)
