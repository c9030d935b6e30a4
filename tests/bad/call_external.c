// expect: 6:18: error: call to 'external_model', whose body is in none of the input files, with floating-point argument 'x' is not supported: give vgradcc the file that defines it as another input
/* A call to a function declared but defined elsewhere. */
double external_model(double x, double y);

double call_external(double x) {
  double y = 1 + external_model(x, 2.0);
  return y * x;
}
#pragma vgrad value_and_grad(call_external)
