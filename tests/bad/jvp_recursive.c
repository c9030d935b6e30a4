// expect: 10:43: error: the recursive call to 'rsum' with array 'x' holding values that depend on the selected inputs: not supported in jvp yet
/* jvp through a recursive function that reads an array holding values
 * that vary (a tangent array per call is not passed yet): refused. */
double rsum(const double *x, int n) {
  if (n == 0)
    return 0;
  double rest = rsum(x, n - 1);
  return rest + x[n - 1] * x[n - 1];
}
double f(const double *x, int n) { return rsum(x, n) + x[0]; }
#pragma vgrad jvp(f)
