// expect: 6:48: error: argnames(x): hessian needs the length of each array; write argnames(x[n]), n an expression over the integer parameters of 'hessian_length'
/* hessian needs each array's length */
double hessian_length(const double *x, int n) {
  return x[0] * x[0] * x[n - 1];
}
#pragma vgrad hessian(hessian_length) argnames(x)
