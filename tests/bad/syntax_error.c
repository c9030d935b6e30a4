// expect: 4:14: error: expected expression
/* A C syntax error: libclang's error is reported as vgradcc's. */
double f(double x) {
  return x * ;
}
#pragma vgrad value_and_grad(f)
