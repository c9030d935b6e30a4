// expect: 6:10: error: call through function pointer 'activation' is not supported: the global 'activation' may be changed to any function; make it const ('double (*const activation)(double) = f;')
/* A global function pointer that is not const: another file may set it. */
static double soft(double x) { return x / (1 + x * x); }
double (*activation)(double) = soft;
double layer(const double *w, double x) {
  return activation(w[0] * x + w[1]);
}
#pragma vgrad value_and_grad(layer)
