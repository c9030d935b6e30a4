// expect: 6:41: error: unknown clause 'argnum'
/* A misspelt clause: the error points at it. */
double f(double x, double y) {
  return x * y;
}
#pragma vgrad value_and_grad(f) name(g) argnum(0)
