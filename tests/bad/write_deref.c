// expect: 5:3: error: assignment through a pointer ('*out = ...') is not supported
/* Writing through a pointer (an output the loss fills in). */
double write_deref(double x, double *out) {
  double y = x * x;
  *out = y;
  return y + x;
}
#pragma vgrad value_and_grad(write_deref)
