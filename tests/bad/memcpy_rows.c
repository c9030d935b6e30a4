// expect: 8:3: error: 'memcpy' of 'copy', whose elements are 'double[3]', is not supported: only arrays of double, float or structs of them; copy the elements (or rows) in a loop
/* memcpy of a two-dimensional array: rows, not numbers, are its elements. */
#include <string.h>

double f(const double *x) {
  double m[2][3] = {{x[0], x[1], x[2]}, {x[3], x[4], x[5]}};
  double copy[2][3];
  memcpy(copy, m, sizeof m);
  return copy[0][1] * copy[1][2];
}
#pragma vgrad value_and_grad(f)
