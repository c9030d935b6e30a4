// expect: 7:47: error: outputs(return): vjp always takes a cotangent for the return value (ct_ret); list only pointer parameters in outputs(...)
/* outputs(return): the return value's cotangent is always there */
double vjp_outputs_return(double x, double y[1]) {
  y[0] = x;
  return x * x;
}
#pragma vgrad vjp(vjp_outputs_return) outputs(return, y)
