// expect: 7:26: error: custom_vjp(lib_norm): parameter 'p' of 'lib_norm' has type 'struct Pt'; custom rules take floating-point scalars (float, double), pointers to floating-point data and integers
/* A rule for a function taking a struct of floating values: not
 * supported. */
struct Pt { double x, y; };
double lib_norm(struct Pt p);
double lib_norm_vjp(struct Pt p, double ct_ret, struct Pt *d_p);
#pragma vgrad custom_vjp(lib_norm) with(lib_norm_vjp)

double custom_struct_param(double x) {
  struct Pt p = {x, 2 * x};
  return lib_norm(p);
}
#pragma vgrad value_and_grad(custom_struct_param)
