// expect: 4:15: error: the comma operator is not supported
/* The comma operator in a differentiated function. */
double f(double x) {
  double a = (x * 2, x * 3);
  return a * x;
}
#pragma vgrad value_and_grad(f)
