// expect: 7:41: error: loss(...) does not apply to hvp yet: it differentiates the return value; return the loss from 'hvp_loss_clause'
/* hvp differentiates the returned loss */
void hvp_loss_clause(const double *x, double *out) {
  out[0] = x[0] * x[0] * x[1];
}
/* loss(out) names the output */
#pragma vgrad hvp(hvp_loss_clause) loss(out) argnums(0)
