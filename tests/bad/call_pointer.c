// expect: 4:10: error: a call through a function pointer is not supported
/* A call through a function pointer: its body is unknown. */
double apply(double x, double (*g)(double)) {
  return g(x) * x;
}
#pragma vgrad value_and_grad(apply)
