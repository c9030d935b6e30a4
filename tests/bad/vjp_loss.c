// expect: 7:34: error: loss(...) does not apply to vjp, which takes a cotangent for the return value and for each pointer parameter listed in outputs(...); write outputs(err)
/* loss(...) belongs to value_and_grad and grad */
void vjp_loss(double x, double err[2]) {
  err[0] = x * x;
  err[1] = 3 * x;
}
#pragma vgrad vjp(vjp_loss) loss(err)
