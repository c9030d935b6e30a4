// expect: 4:33: error: expected 'with' at end of pragma
/* custom_vjp(g) needs with(rule). */
double lib_sq(double x);
#pragma vgrad custom_vjp(lib_sq)

double pragma_custom_without_with(double x) { return lib_sq(x); }
#pragma vgrad value_and_grad(pragma_custom_without_with)
