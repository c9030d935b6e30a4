// expect: 4:3: error: assignment through a pointer ('x[1] += ...') is not supported
/* A compound assignment to an element of an array parameter. */
double write_compound(double *x) {
  x[1] += x[0];
  return x[1] * x[0];
}
#pragma vgrad value_and_grad(write_compound)
