// expect: 8:60: error: the length 'N' names 'N', which is not a parameter of 'jacobian_length_unknown'; write a C expression of integer literals and the integer parameters of 'jacobian_length_unknown' with + - * / % and parentheses
/* a length names something that is not a parameter */
#define N 2
void jacobian_length_unknown(const double *x, double r[2]) {
  r[0] = x[0] * x[1];
  r[1] = x[1];
}
#pragma vgrad jacobian(jacobian_length_unknown) argnames(x[N]) outputs(r[2])
