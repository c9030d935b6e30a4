// expect: 5:7: error: assignment inside an expression is not supported
/* A chained assignment: the inner assignment is an expression. */
double f(double x, double y) {
  double a, b;
  a = b = x * y;
  return a * b;
}
#pragma vgrad value_and_grad(f) argnums(0, 1)
