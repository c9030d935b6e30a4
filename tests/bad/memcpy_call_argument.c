// expect: 10:13: error: 'memcpy' of 'r' with a call to 'row' in its arguments is not supported; keep the call's value in a variable first
/* memcpy from the pointer a helper of the file returns: the element loop
 * would call (inline) it once per element. */
#include <string.h>

static const double *row(const double *m, int i) { return m + 3 * i; }

double f(const double *x) {
  double r[3];
  memcpy(r, row(x, 1), 3 * sizeof(double));
  return r[0] * r[2];
}
#pragma vgrad value_and_grad(f)
