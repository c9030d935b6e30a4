// expect: 8:39: error: custom_vjp(lib_sq): 'lib_sq_vjp' is static, so the generated file, which calls it, cannot reach it; remove 'static', or make it 'static inline' in a header the file includes
/* A rule the generated file cannot call. */
double lib_sq(double x);
static double lib_sq_vjp(double x, double ct_ret, double *d_x) {
  *d_x += 2 * x * ct_ret;
  return x * x;
}
#pragma vgrad custom_vjp(lib_sq) with(lib_sq_vjp)

double custom_static_rule(double x) { return lib_sq(x); }
#pragma vgrad value_and_grad(custom_static_rule)
