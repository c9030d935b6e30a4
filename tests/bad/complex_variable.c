// expect: 6:18: error: complex variable 'z' ('_Complex double') is not supported yet; keep its real and imaginary parts in two real variables
/* Complex arithmetic (C99 <complex.h>) is not differentiated yet. */
#include <complex.h>

double f(double x) {
  double complex z = x + 2.0 * I;
  return creal(z * z);
}
#pragma vgrad value_and_grad(f)
