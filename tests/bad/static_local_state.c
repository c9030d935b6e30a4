// expect: 5:14: error: static local 'seen', which keeps its value from one call to the next (the generated function cannot share it with 'f'), is not supported; make it a global, or const with a constant initializer if it never changes
/* A static local counter: the gradient function would count in a copy of
 * its own, not in the original's. */
double f(double x) {
  static int seen;
  seen++;
  return x * x * seen;
}
#pragma vgrad value_and_grad(f)
