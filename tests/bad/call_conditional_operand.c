// expect: 9:21: error: call to 'half' in a conditionally evaluated operand (&&, ||, ?:) is not supported; call it in a statement of its own
/* A call to a differentiated helper that runs only on one side of ?:
 * (the same for the right of && and ||): README "Not yet". */
static double half(double v) { return 0.5 * v; }

double f(double w) {
  double s = w * w;
  if (s > 1)
    s = w > 0 ? s : half(w);
  return s;
}
#pragma vgrad value_and_grad(f)
