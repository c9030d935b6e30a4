// expect: 6:15: error: expected 'value_and_grad', 'grad', 'jvp', 'vjp', 'jacobian', 'hvp', 'hessian', 'checkpoint', 'nondiff', 'custom_vjp' or 'custom_jvp' after 'vgrad', found 'laplacian'
/* A transform vgradcc does not have. */
double f(double x) {
  return x * x;
}
#pragma vgrad laplacian(f)
