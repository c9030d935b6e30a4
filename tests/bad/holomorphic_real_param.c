// expect: 5:42: error: holomorphic: parameter 'x' of 'scaled' has type 'double'; every selected input must be complex (double complex or float complex) for f'(z); select only the complex ones
/* holomorphic with a real parameter selected: f'(z) is defined for complex inputs only. */
#include <complex.h>
double complex scaled(double complex z, double x) { return z * x; }
#pragma vgrad grad(scaled) argnums(0, 1) holomorphic
