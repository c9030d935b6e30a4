// expect: 13:16: error: 'p.w[0]' reaches memory through a pointer inside struct 'p', which is not selected but gets a gradient, since the function writes it with values that depend on the selected inputs; vgradcc gives pointers inside a struct a gradient buffer only when the caller passes them: add 'p' to argnums/argnames
/* A struct parameter with a pointer member, not selected, whose scalar
 * member the body writes with a value that depends on the selected x: the
 * struct then has a gradient, and only the caller's gradient struct could
 * hold buffers behind its pointers. */
typedef struct {
  double *w;
  double g;
} L;

double f(L p, const double *x) {
  p.g = p.g * x[0];
  return p.g * p.w[0];
}
#pragma vgrad value_and_grad(f) argnums(1)
