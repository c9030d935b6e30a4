// expect: 12:14: error: 'normalize_into' writes through its pointer arguments; a call of it is supported as a statement of its own, 'normalize_into(...);', its value (if any) not used
/* A function with a custom rule that both writes an output and returns a
 * value, the value used: refused (the call must be a statement of its
 * own), saying how to write it. */
double normalize_into(int n, const double *x, double y[n]);
double normalize_into_vjp(int n, const double *x, double *y, double ct_ret, const double *ct_y, double *d_x,
                          double *d_y);
#pragma vgrad custom_vjp(normalize_into) with(normalize_into_vjp)

double custom_output_value(const double *x) {
  double y[3];
  double s = normalize_into(3, x, y);
  return s * y[0];
}
#pragma vgrad value_and_grad(custom_output_value)
