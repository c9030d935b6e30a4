// expect: 5:17: error: the pointer 'p' in the recursive function 'walk' points into an array parameter: not supported yet (its forward function has no gradient buffers); index the parameter instead
/* A pointer local into an array parameter of a recursive function. */
double walk(const double *x, int n) {
  if (n == 0) return 0;
  const double *p = x;
  return p[n - 1] * p[n - 1] + walk(x, n - 1);
}
#pragma vgrad value_and_grad(walk)
