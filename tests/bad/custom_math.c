// expect: 6:26: error: custom_vjp(sin): 'sin' has a derivative vgradcc knows already; a custom rule is for functions of your own or of a library
/* A rule for a math.h function, whose derivative vgradcc has. */
#include <math.h>

double my_sin_vjp(double x, double ct_ret, double *d_x);
#pragma vgrad custom_vjp(sin) with(my_sin_vjp)

double custom_math(double x) { return sin(x); }
#pragma vgrad value_and_grad(custom_math)
