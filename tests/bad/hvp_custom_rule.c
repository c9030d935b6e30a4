// expect: 11:10: error: hvp(hvp_custom_rule): 'soft' has a custom rule (custom_jvp with 'soft_jvp'), whose own derivative vgradcc does not have: 'soft_jvp' has no body in the inputs; give its definition in the file (or another input) and hvp differentiates the rule itself
/* A second derivative through a rule of the user whose body is not in the
 * inputs: its own derivative is unknown (with a body: golden/hvp_rule_body). */
double soft(double a);
double soft_jvp(double a, double t_a, double *t_ret);
double soft_vjp(double a, double ct_ret, double *d_a);
#pragma vgrad custom_jvp(soft) with(soft_jvp)
#pragma vgrad custom_vjp(soft) with(soft_vjp)

double hvp_custom_rule(double x) {
  return soft(x * x) + x;
}
#pragma vgrad hvp(hvp_custom_rule)
