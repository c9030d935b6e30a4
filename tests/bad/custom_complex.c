// expect: 6:26: error: custom_vjp(g): 'g' takes or returns complex values; custom rules are supported for real ones only: write g on the real and imaginary parts, or leave the rule out if vgradcc can differentiate its body
/* A custom rule for a function of complex values is refused. */
#include <complex.h>
double complex g(double complex z);
void g_vjp(double complex z, double complex ct_ret, double complex *d_z);
#pragma vgrad custom_vjp(g) with(g_vjp)
double f(double complex z) { return creal(g(z)); }
#pragma vgrad grad(f)
