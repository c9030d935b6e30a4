// expect: 5:3: error: 'switch' is not supported
/* switch in a differentiated function. */
double use_switch(double x, int mode) {
  double y = x;
  switch (mode) {
  case 0:
    y = x * x;
    break;
  default:
    y = -x;
  }
  return y;
}
#pragma vgrad value_and_grad(use_switch)
