// expect: 8:14: error: call to 'helper' is not supported
/* A call to a function of the same file: only math.h functions can be
 * differentiated so far. */
double helper(double x) { return x * x; }

double call_user(double x) {
  double y = 2 * x;
  return y + helper(x);
}
#pragma vgrad value_and_grad(call_user)
