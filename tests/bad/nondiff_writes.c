// expect: 10:3: error: call to 'smooth_into', named by nondiff(smooth_into), with pointer argument 'buf' to floating-point data it may write, is not supported:
/* A nondiff function that may write floating-point values through its
 * pointer argument: they would be constants overwriting values the
 * gradient follows. */
void smooth_into(double *out, double v);
#pragma vgrad nondiff(smooth_into)

double nondiff_writes(double x) {
  double buf[2] = {x, x * x};
  smooth_into(buf, x);
  return buf[0] + buf[1];
}
#pragma vgrad value_and_grad(nondiff_writes)
