// expect: 7:60: error: the length '2 * scale' names 'scale', which is not an integer parameter; write a C expression of integer literals and the integer parameters of 'jacobian_length_not_int' with + - * / % and parentheses
/* a length names a parameter that is not an integer */
void jacobian_length_not_int(const double *x, double scale, double r[2]) {
  r[0] = x[0] * scale;
  r[1] = x[1];
}
#pragma vgrad jacobian(jacobian_length_not_int) argnames(x[2 * scale]) outputs(r[2])
