// expect: 4:42: error: variable 'z' of type '_Complex long double' is not supported: complex numbers are differentiated in double complex and float complex
/* long double complex, as long double, is refused. */
#include <complex.h>
double f(double x) { long double complex z = x + 2.0 * I; return creal(z * z); }
#pragma vgrad grad(f)
