// expect: 5:30: error: function 'f' has no body in this file
/* The pragma names a function that is only declared: vgradcc needs its
 * body. */
double f(double x);
#pragma vgrad value_and_grad(f)
