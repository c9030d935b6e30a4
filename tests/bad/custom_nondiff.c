// expect: 6:26: error: custom_vjp(lib_sq): 'lib_sq' is named by nondiff too; a custom rule is for functions of your own or of a library
/* nondiff and a rule for one function contradict each other. */
double lib_sq(double x);
double lib_sq_vjp(double x, double ct_ret, double *d_x);
#pragma vgrad nondiff(lib_sq)
#pragma vgrad custom_vjp(lib_sq) with(lib_sq_vjp)

double custom_nondiff(double x) { return x * lib_sq(x); }
#pragma vgrad value_and_grad(custom_nondiff)
