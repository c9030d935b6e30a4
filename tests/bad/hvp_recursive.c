// expect: 4:29: error: the recursive call to 'p' is not supported in hvp and hessian yet (jvp, value_and_grad and grad take it)
/* hvp differentiates the jvp again: a recursive call's tangent function is not differentiated yet. */
static double p(double x, int k) { if (k == 0) return x; double r = p(x, k - 1); return x * r; }
double f(double x) { return p(x, 3); }
#pragma vgrad hvp(f)
