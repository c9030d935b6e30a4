// expect: 7:26: error: custom_vjp(scale_into): parameter 'out' of 'scale_into' points to floating-point data that 'scale_into' may write; custom rules for functions with pointer outputs are not supported yet
/* A rule for a function with a pointer output: refused (for now), saying
 * what to write instead. */
double scale_into(double *out, const double *x, int n);
double scale_into_vjp(double *out, const double *x, int n, double ct_ret, double *d_out, double *d_x);

#pragma vgrad custom_vjp(scale_into) with(scale_into_vjp)

double custom_pointer_output(const double *x) {
  double buf[2];
  return scale_into(buf, x, 2);
}
#pragma vgrad value_and_grad(custom_pointer_output)
