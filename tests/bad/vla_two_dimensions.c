// expect: 5:10: error: multi-dimensional variable-length array 'm' is not supported; allocate one block of rows * columns elements and index it as m[i * columns + j]
/* A matrix as a two-dimensional VLA. */
double f(const double *x, int n) {
  double s = 0;
  double m[n][n];
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      m[i][j] = x[i] * x[j];
  for (int i = 0; i < n; i++)
    s += m[i][i];
  return s;
}
#pragma vgrad value_and_grad(f)
