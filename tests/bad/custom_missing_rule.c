// expect: 11:11: error: call to 'lib_sq' in jvp needs a rule '#pragma vgrad custom_jvp(lib_sq) with(...)'; 'lib_sq' has only custom_vjp(lib_sq) with(lib_sq_vjp)
/* A call in jvp to a function that has only a reverse-mode rule: the
 * forward transform needs custom_jvp, and says which. */
double lib_sq(double x);
double lib_sq_vjp(double x, double ct_ret, double *d_x);
#pragma vgrad custom_vjp(lib_sq) with(lib_sq_vjp)

double custom_missing_rule(double x) {
  double y = x * 3;
  double z = 0;
  z = y + lib_sq(y);
  return z;
}
#pragma vgrad jvp(custom_missing_rule)
