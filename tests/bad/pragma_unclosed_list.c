// expect: 6:45: error: expected ',' or ')' at end of pragma
/* An argnums list that is not closed: the error points after its end. */
double f(double x, double y) {
  return x * y;
}
#pragma vgrad value_and_grad(f) argnums(0, 1
