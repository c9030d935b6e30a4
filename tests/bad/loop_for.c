// expect: 6:3: error: 'for' loops are not supported
/* A for loop in a differentiated function. */
double loop_for(const double *x, int n) {
  double s = 0;
  // the error points at the 'for' keyword
  for (int i = 0; i < n; i++)
    s += x[i] * x[i];
  return s;
}
#pragma vgrad value_and_grad(loop_for)
