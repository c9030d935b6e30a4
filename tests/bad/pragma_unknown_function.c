// expect: 6:30: error: no function named 'g' in this file
/* The pragma names a function that does not exist. */
double f(double x) {
  return x * x;
}
#pragma vgrad value_and_grad(g)
