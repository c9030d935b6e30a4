// expect: 7:23: error: call through function pointer 'm->rhs' is not supported: 'm->rhs' is a struct member, which vgradcc does not follow to the function stored in it; pass the function to the helper that calls it as a parameter of its own
/* A function pointer kept in a struct. */
struct model { double (*rhs)(double); double k; };
static double decay(double y) { return -y; }
double run(double y, struct model *m) {
  for (int i = 0; i < 3; i++)
    y += 0.1 * m->k * m->rhs(y);
  return y;
}
double fit(double y0) {
  struct model m = {decay, 2.0};
  return run(y0, &m);
}
#pragma vgrad value_and_grad(run)
