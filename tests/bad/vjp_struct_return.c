// expect: 10:19: error: function 'vjp_struct_return' returns 'struct Pair': a return value other than a double, a float or void is not supported in vjp yet
/* a struct return value: not supported by vjp yet */
struct Pair {
  double loss, aux;
};
struct Pair vjp_struct_return(double x) {
  struct Pair p = {x * x, x};
  return p;
}
#pragma vgrad vjp(vjp_struct_return)
