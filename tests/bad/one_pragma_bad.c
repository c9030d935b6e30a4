// expect: 11:41: error: argnums: 5 is out of range; function 'g' has 1 parameter (0 to 0)
/* One good pragma and one bad: nothing is written, not even the good
 * function's code. */
double f(double x) {
  return x * x;
}
#pragma vgrad value_and_grad(f)
double g(double y) {
  return y + 1;
}
#pragma vgrad value_and_grad(g) argnums(5)
