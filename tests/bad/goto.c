// expect: 5:5: error: 'goto' is not supported
/* goto in a differentiated function. */
double use_goto(double x) {
  if (x < 0)
    goto negative;
  return x * x;
negative:
  return -x;
}
#pragma vgrad value_and_grad(use_goto)
