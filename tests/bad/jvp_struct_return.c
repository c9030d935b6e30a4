// expect: 8:19: error: function 'f' returns 'struct Out': a return value other than a double, a float or void is not supported in jvp yet
/* A struct return (a loss with auxiliary outputs) in jvp. */
struct Out { double loss, aux; };
struct Out f(double x) {
  struct Out o = {x * x, x};
  return o;
}
#pragma vgrad jvp(f)
