// expect: 5:41: error: parameter 'out' is written with values that depend on the differentiated inputs and read again, so its gradient needs a buffer, and its rows have a length known only at run time; add it to argnums/argnames so the caller passes its gradient buffer
/* An output buffer that is not selected and is read again gets a gradient
 * buffer of the generated function's own, which needs the size of a row:
 * rows of run-time length m have none. */
double f(double x, int n, int m, double out[n][m]) {
  for (int i = 0; i < n; i++)
    out[i][0] = x * i;
  return out[0][0] * out[1][0];
}
#pragma vgrad value_and_grad(f)
