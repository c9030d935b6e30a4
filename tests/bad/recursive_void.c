// expect: 12:3: error: the recursive function 'walk' returns nothing: vgradcc differentiates a recursive function that returns a number (double, float or an integer); return the value, or write the recursion as a loop
/* A recursive function without a value. */
static void walk(const double *x, double *acc, int n) {
  if (n == 0)
    return;
  *acc += x[n - 1] * x[n - 1];
  walk(x, acc, n - 1);
}

double loss(const double *x, int n) {
  double acc = 0;
  walk(x, &acc, n);
  return acc;
}
#pragma vgrad value_and_grad(loss) argnums(0)
