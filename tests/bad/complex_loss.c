// expect: 5:30: error: the loss of 'f' has type 'double _Complex': a gradient needs a real loss; return creal(...) or cabs(...) of it, or add the holomorphic clause for the complex derivative f'(z)
/* A complex loss without the holomorphic clause: a gradient needs a real loss. */
#include <complex.h>
double complex f(double complex z) { return z * z; }
#pragma vgrad value_and_grad(f)
