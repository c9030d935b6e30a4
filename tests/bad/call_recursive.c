// expect: 5:14: error: recursive call to 'power' is not supported: vgradcc inlines the functions that a differentiated function calls; write the recursion as a loop
/* A recursive function cannot be inlined. */
double power(double x, int n) {
  if (n == 0) return 1;
  return x * power(x, n - 1);
}
#pragma vgrad value_and_grad(power)
