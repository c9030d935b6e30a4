// expect: 6:15: error: expected 'value_and_grad', 'grad', 'jvp', 'checkpoint' or 'nondiff' after 'vgrad', found 'jacobian'
/* A transform vgradcc does not have. */
double f(double x) {
  return x * x;
}
#pragma vgrad jacobian(f)
