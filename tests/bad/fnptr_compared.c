// expect: 7:7: error: function pointer 'f' used other than in a call or as an argument to a function of this file is not supported; test the int or condition that chooses it instead
/* A function pointer compared with a function. */
static double soft(double x) { return x / (1 + x * x); }
static double (*const acts[2])(double) = {soft, 0};
double layer(const double *w, double x, int k) {
  double (*f)(double) = acts[k];
  if (f == soft)
    x = 2 * x;
  return f(w[0] * x);
}
#pragma vgrad value_and_grad(layer)
