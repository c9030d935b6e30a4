// expect: 5:23: error: holomorphic: the loss of 'f' has type 'double'; the clause is for a complex loss (double complex or float complex), whose derivative f'(z) d_z receives
/* holomorphic on a function whose loss is real. */
#include <complex.h>
double f(double complex z) { return creal(z * z); }
#pragma vgrad grad(f) holomorphic
