// expect: 4:41: error: complex value 'x + 2.0 * I' in 'f': hessian does not support complex numbers yet; value_and_grad, grad, jvp and vjp do
/* hessian (and hvp, jacobian) do not differentiate complex values yet. */
#include <complex.h>
double f(double x) { double complex z = x + 2.0 * I; return creal(z * z); }
#pragma vgrad hessian(f) argnames(x)
