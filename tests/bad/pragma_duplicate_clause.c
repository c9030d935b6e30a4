// expect: 6:44: error: clause 'argnums' appears twice
/* The same clause twice: the error points at the second. */
double f(double x, double y) {
  return x * y;
}
#pragma vgrad value_and_grad(f) argnums(0) argnums(1)
