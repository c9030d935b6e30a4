// expect: 6:42: error: argnames(x[n]): a length belongs to the argnames of jacobian and hessian; write argnames(x)
/* hvp takes no lengths */
double hvp_length(const double *x, int n) {
  return x[0] * x[0] * x[n - 1];
}
#pragma vgrad hvp(hvp_length) argnames(x[n])
