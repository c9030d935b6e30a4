// expect: 6:44: error: argnums: 2 is out of range; function 'f' has 2 parameters (0 to 1)
/* argnums counts from 0: a two-parameter function has no parameter 2. */
double f(double x, double y) {
  return x * y;
}
#pragma vgrad value_and_grad(f) argnums(0, 2)
