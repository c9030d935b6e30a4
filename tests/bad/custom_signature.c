// expect: 7:40: error: custom_vjp(lib_dot): 'lib_dot_vjp' does not have the signature of the rule for 'lib_dot'; expected 'double lib_dot_vjp(const double *a, const double *b, int n, double ct_ret, double *d_a, double *d_b)'
/* A rule whose signature is not the one vjp would generate for the
 * function (here the gradient of b is missing): the message spells it. */
double lib_dot(const double *a, const double *b, int n);
double lib_dot_vjp(const double *a, const double *b, int n, double ct_ret, double *d_a);

#pragma vgrad custom_vjp(lib_dot) with(lib_dot_vjp)

double custom_signature(const double *a, const double *b) { return lib_dot(a, b, 3); }
#pragma vgrad value_and_grad(custom_signature) argnums(all)
