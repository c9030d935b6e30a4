// expect: 4:26: error: custom_vjp(lib_cube): no function 'lib_cube' is declared in this file or the headers it includes
/* A rule for a function that is declared nowhere. */
double lib_cube_vjp(double x, double ct_ret, double *d_x);
#pragma vgrad custom_vjp(lib_cube) with(lib_cube_vjp)

double custom_undeclared(double x) { return x * x; }
#pragma vgrad value_and_grad(custom_undeclared)
