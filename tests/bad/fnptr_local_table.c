// expect: 6:12: error: local table of function pointers 'acts' is not supported; declare it 'static' with the functions' names and 'const' entries: 'static double (*const acts[])(double) = {f, g};'
/* A table of function pointers that is a local array. */
static double soft(double x) { return x / (1 + x * x); }
static double lin(double x) { return x; }
double layer(const double *w, double x, int k) {
  double (*acts[2])(double) = {soft, lin};
  return acts[k](w[0] * x + w[1]);
}
#pragma vgrad value_and_grad(layer)
