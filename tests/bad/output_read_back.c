// expect: 6:28: error: parameter 'pred' is written with values that depend on the differentiated inputs and read again
/* An output parameter that is not differentiated is written with an active
 * value and read back: it needs a gradient buffer, so it must be
 * selected. */
#pragma vgrad value_and_grad(f) argnums(0)
double f(double x, double *pred) {
  pred[0] = x * x;
  return pred[0] * x;
}
