// expect: 8:9: error: two pragmas generate a function named 'f_value_and_grad'
/* Two pragmas that would generate the same function: the error points at
 * the second. */
double f(double x) {
  return x * x;
}
#pragma vgrad value_and_grad(f)
#pragma vgrad value_and_grad(f)
