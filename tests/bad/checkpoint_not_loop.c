// expect: 5:9: error: '#pragma vgrad checkpoint' must stand right before a loop
/* A checkpoint pragma must be followed by the loop it applies to. */
double f(double x) {
  double y = x;
#pragma vgrad checkpoint
  y = y * 2;
  return y;
}
#pragma vgrad value_and_grad(f)
