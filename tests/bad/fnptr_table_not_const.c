// expect: 7:10: error: call through function pointer 'acts[k]' is not supported: 'acts[k]' is not an entry of a constant table of functions read by one index; declare the table 'static double (*const table[])(double) = {f, g};'
/* A table of functions whose entries may change (not const). */
static double sq(double x) { return x * x; }
static double cb(double x) { return x * x * x; }
static double (*acts[])(double) = {sq, cb};
double layer(const double *w, int k) {
  return acts[k](w[0]);
}
#pragma vgrad value_and_grad(layer)
