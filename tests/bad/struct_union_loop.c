// expect: 14:14: error: 'old' (struct W) is overwritten inside a loop and its old value is needed by the gradient; vgradcc saves a struct there member by member, which it cannot do for a union or a const member: keep those out of structs that a loop overwrites
/* A struct holding a union, copied inside a loop and read by the
 * gradient: the tape takes structs member by member, and a union has no
 * one member to take. */
union U {
  double d;
  long bits;
};
struct W { union U u; double k; };
double f(const double *x, int n) {
  struct W w = {{0.5}, 1.0};
  double acc = 0;
  for (int i = 0; i < n; i++) {
    struct W old = w;
    w.k = old.k * x[i];
    acc += w.k * old.k;
  }
  return acc;
}
#pragma vgrad value_and_grad(f) argnums(0)
