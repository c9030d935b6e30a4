// expect: 6:19: error: function 'hvp_void' returns 'void'; hvp needs a double or float loss as the return value
/* hvp needs a returned loss */
void hvp_void(const double *x, double *out) {
  out[0] = x[0] * x[0] * x[1];
}
#pragma vgrad hvp(hvp_void) argnums(0)
