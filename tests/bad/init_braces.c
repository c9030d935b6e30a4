// expect: 9:13: error: an initializer that leaves out the braces of an inner struct or array (write them, as in {{a, b}, c}) is not supported
/* An initializer without the braces of the inner array: its i-th value
 * is not the i-th member's. */
typedef struct {
  double pos[2];
  double vel;
} State;
double f(const double *x) {
  State s = {x[0], x[1], x[2]};
  return s.pos[0] * s.pos[1] + s.vel;
}
#pragma vgrad value_and_grad(f)
