// expect: 7:23: error: 'memcpy' of 'prev': 'sizeof(float)' measures 'float', not the double elements of 'prev'; write the size as COUNT * sizeof(double)
/* memcpy of doubles with a size counted in floats: half the elements. */
#include <string.h>

double f(const double *x, int n) {
  double prev[8];
  memcpy(prev, x, n * sizeof(float));
  double s = 0;
  for (int i = 0; i < n; i++)
    s += prev[i] * x[i];
  return s;
}
#pragma vgrad value_and_grad(f)
