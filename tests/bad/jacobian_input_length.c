// expect: 7:56: error: argnames(x): jacobian needs the length of each array; write argnames(x[n]), n an expression over the integer parameters of 'jacobian_input_length'
/* jacobian needs each array input's length: argnames(x[n]) */
void jacobian_input_length(const double *x, int n, double r[2]) {
  r[0] = x[0] * x[n - 1];
  r[1] = x[0];
}
#pragma vgrad jacobian(jacobian_input_length) argnames(x) outputs(r[2])
