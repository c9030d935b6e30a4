// expect: 7:5: error: assignment to 'history[i]', a part of global variable 'history', is not supported; assign a global number, or pass the array to the function as a parameter
/* A global array written with values that depend on x. */
double history[16];
double f(const double *x, int n) {
  double s = 0;
  for (int i = 0; i < n && i < 16; i++) {
    history[i] = s;
    s += x[i] * x[i];
  }
  return s;
}
#pragma vgrad value_and_grad(f) argnums(0)
