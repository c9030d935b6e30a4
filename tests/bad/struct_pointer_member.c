// expect: 12:10: error: 'm.w[1]' reaches memory through a pointer inside struct 'm', which has a gradient; vgradcc gives pointers inside local structs no gradient buffer: pass that array as a parameter of its own, or make it an array member
/* A struct holding a pointer to the differentiated data: the struct's
 * gradient would need a buffer behind that pointer, which vgradcc does not
 * make. */
typedef struct {
  const double *w;
  double d;
} M;

double f(const double *x) {
  M m = {x, 0.25};
  return m.w[1] * m.d + m.w[0];
}
#pragma vgrad value_and_grad(f) argnums(0)
