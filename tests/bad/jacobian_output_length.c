// expect: 7:71: error: outputs(r): jacobian needs the length of each output; write outputs(r[n]), n an expression over the integer parameters of 'jacobian_output_length'
/* jacobian needs each output's length: outputs(r[2 * n]) */
void jacobian_output_length(const double *x, int n, double *r) {
  for (int i = 0; i < 2 * n; i++)
    r[i] = x[i / 2] * i;
}
#pragma vgrad jacobian(jacobian_output_length) argnames(x[n]) outputs(r)
