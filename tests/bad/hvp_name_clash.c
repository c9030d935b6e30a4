// expect: 6:19: error: the Hessian-vector product output for 'x' would be named 'h_x', which clashes with parameter 'h_x' of 'hvp_name_clash'; rename the parameter
/* f_hvp's h_x would hide the parameter h_x */
double hvp_name_clash(const double *x, double h_x) {
  return x[0] * x[0] * h_x;
}
#pragma vgrad hvp(hvp_name_clash) argnums(0)
