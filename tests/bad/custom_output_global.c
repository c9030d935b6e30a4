// expect: 14:19: error: output 'scratch' of 'tanh_into' is global array 'scratch', which vgradcc does not write in a differentiated function; pass a local array or a parameter
/* A function with a custom rule writing into a global array: refused,
 * naming the array. */
void tanh_into(int n, const double *x, double y[n]);
void tanh_into_vjp(int n, const double *x, double *y, const double *ct_y, double *d_x, double *d_y);
#pragma vgrad custom_vjp(tanh_into) with(tanh_into_vjp)

double scratch[4];

double custom_output_global(const double *x) {
  double s = 0;
  for (int i = 0; i < 4; i++)
    s += x[i];
  tanh_into(4, x, scratch);
  return s * scratch[1];
}
#pragma vgrad value_and_grad(custom_output_global)
