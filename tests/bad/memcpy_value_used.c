// expect: 7:15: error: 'memcpy' of 'buf' is supported only as a statement of its own (its value unused, outside a loop's condition or step)
/* memcpy's value (its first argument) used. */
#include <string.h>

double f(const double *x, int n) {
  double buf[8];
  double *p = memcpy(buf, x, n * sizeof *x);
  double s = 0;
  for (int i = 0; i < n; i++)
    s += p[i] * x[i];
  return s;
}
#pragma vgrad value_and_grad(f)
