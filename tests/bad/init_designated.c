// expect: 9:14: error: a designated initializer ('.member =' or '[index] =') is not supported
/* A designated initializer: its values are not in member order, and
 * vgradcc would give each value's adjoint to the wrong member. */
typedef struct {
  double pos[2];
  double vel;
} State;
double f(const double *x) {
  State s = {.vel = x[2], .pos = {x[0], x[1]}};
  return s.pos[0] * s.pos[1] + s.vel;
}
#pragma vgrad value_and_grad(f)
