// expect: 8:3: error: call to 'memset', whose body is not in this file, with floating-point argument 'acc' is not supported
/* memset on a local array of doubles that then holds values depending on
 * x: a call to a function without a body that writes floating memory. */
#include <string.h>

double f(const double *x, int n) {
  double acc[4];
  memset(acc, 0, sizeof acc);
  for (int i = 0; i < n; i++)
    acc[i % 4] += x[i] * x[i];
  return acc[0] + acc[1] * acc[2];
}
#pragma vgrad value_and_grad(f)
