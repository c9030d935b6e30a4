// expect: 8:18: error: parameter 'out' is written with values that depend on the differentiated inputs and read again, so its gradient needs a buffer, and vgradcc cannot tell how long 'out' is: declare it with its length ('double out[n]', n a parameter before it, or 'double out[8]'), or add it to argnums/argnames so the caller passes its gradient buffer
/* An output buffer that is not selected, written with active values and
 * read again, gets a gradient buffer of the generated function's own; here
 * a pointer walks it as far as n, which vgradcc does not follow, and the
 * parameter is declared without a length. */
#pragma vgrad value_and_grad(f) argnums(0)
double f(double x, int n,
         double *out) {
  double *o = out;
  for (int i = 0; i < n; i++)
    *o++ = x * i;
  return out[n - 1] * out[0];
}
