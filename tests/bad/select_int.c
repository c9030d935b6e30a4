// expect: 6:44: error: parameter 1 'n' of 'f' has type 'int', which has no floating-point content to differentiate
/* Selecting an int parameter: the error points at the pragma's entry. */
double f(double x, int n) {
  return x * n;
}
#pragma vgrad value_and_grad(f) argnums(0, 1)
