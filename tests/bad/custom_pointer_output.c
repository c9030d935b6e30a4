// expect: 8:26: error: custom_vjp(scale_into): parameter 'out' of 'scale_into' points to floating-point data that 'scale_into' may write, of a length vgradcc cannot tell; declare it with its length in the declaration of 'scale_into' (double out[n])
/* A rule for a function with a pointer output whose length the
 * declaration does not say: the reverse sweep could not save what the
 * call overwrites, so it is refused, saying what to write. */
void scale_into(double *out, const double *x, int n);
void scale_into_vjp(double *out, const double *x, int n, const double *ct_out, double *d_out, double *d_x);

#pragma vgrad custom_vjp(scale_into) with(scale_into_vjp)

double custom_pointer_output(const double *x) {
  double buf[2];
  scale_into(buf, x, 2);
  return buf[0] * buf[1];
}
#pragma vgrad value_and_grad(custom_pointer_output)
