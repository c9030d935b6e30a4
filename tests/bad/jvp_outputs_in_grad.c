// expect: 4:41: error: outputs(...) belongs to jvp, vjp and jacobian; value_and_grad returns the gradient of one loss (give it with loss(...) when it is not the return value)
/* outputs(...) belongs to jvp. */
double f(double x, double *y) { y[0] = x; return x * x; }
#pragma vgrad value_and_grad(f) outputs(y)
