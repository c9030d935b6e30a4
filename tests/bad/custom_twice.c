// expect: 7:26: error: custom_vjp(lib_sq) appears twice; keep one rule for 'lib_sq'
/* Two reverse rules for one function. */
double lib_sq(double x);
double lib_sq_vjp(double x, double ct_ret, double *d_x);
double lib_sq_vjp2(double x, double ct_ret, double *d_x);
#pragma vgrad custom_vjp(lib_sq) with(lib_sq_vjp)
#pragma vgrad custom_vjp(lib_sq) with(lib_sq_vjp2)

double custom_twice(double x) { return lib_sq(x); }
#pragma vgrad value_and_grad(custom_twice)
