// expect: 6:3: error: inline assembly is not supported
/* Inline assembly in a differentiated function: vgradcc cannot see what
 * it computes. */
double f(double x) {
  double y = x * x;
  __asm__ volatile("" : "+m"(y));
  return y * x;
}
#pragma vgrad value_and_grad(f)
