// expect: 9:18: error: call to 'lib_sq' in a reverse-mode transform needs a rule '#pragma vgrad custom_vjp(lib_sq) with(...)'; 'lib_sq' has only custom_jvp(lib_sq) with(lib_sq_jvp)
/* A call in value_and_grad to a function that has only a forward-mode
 * rule. */
double lib_sq(double x);
double lib_sq_jvp(double x, double t_x, double *t_ret);
#pragma vgrad custom_jvp(lib_sq) with(lib_sq_jvp)

double custom_missing_vjp(double x) {
  return x * 2 + lib_sq(x);
}
#pragma vgrad value_and_grad(custom_missing_vjp)
