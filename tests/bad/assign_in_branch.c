// expect: 5:14: error: an assignment, '++' or '--' in a branch of '?:', which runs only sometimes, is not supported; write it as an if statement
/* An assignment in a branch of ?: runs only when that branch is taken. */
double f(double x, double y) {
  double a = 0;
  double b = x > y ? (a = x * y) : y;
  return a * b;
}
#pragma vgrad value_and_grad(f) argnums(0, 1)
