// expect: 6:45: error: argnames: function 'f' has no parameter named 'q'
/* argnames names a parameter f does not have. */
double f(double w, double b) {
  return w * b;
}
#pragma vgrad value_and_grad(f) argnames(w, q)
