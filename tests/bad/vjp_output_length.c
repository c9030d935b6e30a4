// expect: 4:46: error: outputs(y): vjp reads every entry of ct_y but cannot tell the length of 'y'; declare it with its length (double y[n], n a parameter before it)
/* outputs(y) whose length vjp cannot tell: ct_y is read whole. */
void vjp_output_length(double x, double *y, int k) { y[k] = x * x; }
#pragma vgrad vjp(vjp_output_length) outputs(y)
