// expect: 8:19: error: call through function pointer 'f' in a conditionally evaluated operand (&&, ||, ?:) is not supported; call it in a statement of its own
/* A pointer chosen at run time among functions of the file, called where
 * it may not run (its inlined bodies need statements of their own). */
static double soft(double x) { return x / (1 + x * x); }
static double lin(double x) { return x; }
double layer(const double *w, double x, int k) {
  double (*f)(double) = k ? soft : lin;
  return x > 0 && f(w[0] * x) > 0 ? w[1] : w[0];
}
#pragma vgrad value_and_grad(layer)
