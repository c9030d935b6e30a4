// expect: 5:22: error: holomorphic belongs to value_and_grad and grad; jvp of a complex function differentiates its real and imaginary parts
/* holomorphic belongs to value_and_grad and grad. */
#include <complex.h>
double complex f(double complex z) { return z * z; }
#pragma vgrad jvp(f) holomorphic
