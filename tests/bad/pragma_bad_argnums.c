// expect: 6:41: error: argnums expects non-negative integers or 'all', found 'x'
/* argnums takes positions; names go in argnames. */
double f(double x, double y) {
  return x * y;
}
#pragma vgrad value_and_grad(f) argnums(x)
