// expect: 7:41: error: outputs(y[n]): a length belongs to jacobian's outputs; write outputs(y) and declare the parameter with its length (double y[n])
/* outputs(y[n]) is jacobian's spelling; vjp takes the declared length */
void vjp_length(double x, int n, double *y) {
  for (int i = 0; i < n; i++)
    y[i] = x * i;
}
#pragma vgrad vjp(vjp_length) outputs(y[n])
