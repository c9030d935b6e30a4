// expect: 6:57: error: mode(rev) belongs to jacobian; hessian is always an hvp per column
/* hessian has no mode */
double hessian_mode(const double *x, int n) {
  return x[0] * x[0] * x[n - 1];
}
#pragma vgrad hessian(hessian_mode) argnames(x[n]) mode(rev)
