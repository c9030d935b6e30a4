// expect: 4:46: error: outputs(y): jvp writes every entry of t_y but cannot tell the length of 'y'; declare it with its length (double y[n], n a parameter)
/* outputs(y) whose length jvp cannot tell: t_y is written whole. */
void jvp_output_length(double x, double *y, int k) { y[k] = x * x; }
#pragma vgrad jvp(jvp_output_length) outputs(y)
