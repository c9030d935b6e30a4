// expect: 8:5: error: checkpointing a loop inside another loop is not supported; put the pragma on the outermost loop
/* The checkpoint pragma on an inner loop. */
double f(const double *x, int n) {
  double s = 0;
  for (int k = 0; k < 3; k++) {
    double t = x[k];
#pragma vgrad checkpoint
    for (int i = 0; i < n; i++)
      t = 0.5 * t + 0.1 * x[i];
    s += t * t;
  }
  return s;
}
#pragma vgrad value_and_grad(f)
