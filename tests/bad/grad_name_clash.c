// expect: 7:41: error: clashes with parameter 'd_x'
/* The gradient output for x would be named d_x, the name of another
 * parameter: the error points at the entry selecting x. */
double f(double x, double d_x) {
  return x * d_x;
}
#pragma vgrad value_and_grad(f) argnums(0, 1)
