// expect: 6:32: error: expected ')'
/* value_and_grad( without its ')': the error points at the next token. */
double f(double x) {
  return x * x;
}
#pragma vgrad value_and_grad(f argnums(0)
