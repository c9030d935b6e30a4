// expect: 7:9: error: the generated function 'f_value_and_grad' would clash with a function of the same name
/* The generated name is already taken by a function of the file. */
double f(double x) {
  return x * x;
}
double f_value_and_grad(double x) { return x; }
#pragma vgrad value_and_grad(f)
