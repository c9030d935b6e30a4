// expect: 10:39: error: allow_int does not apply to jvp, which takes a tangent for each selected input; leave the integer parameters out of argnums/argnames
/* allow_int belongs to the reverse transforms (design 1.6); a jvp takes
 * a tangent for each selected input, and an integer has none. */
double f(double a, const double *x, int n) {
  double s = 0;
  for (int i = 0; i < n; i++)
    s += a * x[i];
  return s;
}
#pragma vgrad jvp(f) argnums(0, 1, 2) allow_int
