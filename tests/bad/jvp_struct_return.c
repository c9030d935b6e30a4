// expect: 9:19: error: function 'f' returns 'struct Out': a return value other than a double, a float, a struct of numbers and arrays of them or void is not supported in jvp yet
/* A struct return holding a pointer in jvp (a struct of numbers is
 * supported: golden/jvp_struct_return). */
struct Out { double loss; double *grad_buf; };
struct Out f(double x) {
  struct Out o = {x * x, 0};
  return o;
}
#pragma vgrad jvp(f)
