// expect: 5:39: error: custom_vjp(lib_sq): no function 'lib_sq_grad' is declared in this file or the headers it includes; declare 'double lib_sq_grad(double x, double ct_ret, double *d_x)'
/* with(h) names a function that is declared nowhere: the message gives
 * the declaration to write. */
double lib_sq(double x);
#pragma vgrad custom_vjp(lib_sq) with(lib_sq_grad)

double custom_no_rule_function(double x) { return lib_sq(x); }
#pragma vgrad value_and_grad(custom_no_rule_function)
