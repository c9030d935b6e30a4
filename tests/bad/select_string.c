// expect: 6:42: error: parameter 1 'label' of 'f' has type 'const char *', which has no floating-point content to differentiate
/* Selecting a const char * parameter by name. */
double f(double x, const char *label) {
  return label[0] == 'a' ? x : 2 * x;
}
#pragma vgrad value_and_grad(f) argnames(label)
