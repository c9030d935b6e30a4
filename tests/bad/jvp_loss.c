// expect: 4:27: error: loss(...) does not apply to jvp, which returns the tangent of the return value and of each pointer parameter listed in outputs(...); write outputs(y)
/* loss(...) does not apply to jvp. */
void f(double x, double *y) { y[0] = x * x; }
#pragma vgrad jvp(f) loss(y)
