// expect: 10:10: error: hvp(hvp_custom_rule): 'soft' has a custom rule (custom_jvp with 'soft_jvp'), whose own derivative vgradcc does not have; a second derivative through a custom rule is not supported yet
/* A second derivative through a user's rule: the rule's own derivative is unknown. */
double soft(double a);
double soft_jvp(double a, double t_a, double *t_ret);
double soft_vjp(double a, double ct_ret, double *d_a);
#pragma vgrad custom_jvp(soft) with(soft_jvp)
#pragma vgrad custom_vjp(soft) with(soft_vjp)

double hvp_custom_rule(double x) {
  return soft(x * x) + x;
}
#pragma vgrad hvp(hvp_custom_rule)
