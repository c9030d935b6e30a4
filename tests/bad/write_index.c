// expect: 5:3: error: assignment through a pointer ('x[i] = ...') is not supported
/* Writing an element of an array parameter. */
double write_index(double *x, int i) {
  double y = x[i] * 2;
  x[i] = y;
  return y;
}
#pragma vgrad value_and_grad(write_index)
