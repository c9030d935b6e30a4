// expect: 16:10: error: 'm.w[1]' reaches memory through a pointer inside struct 'm', which has a gradient; vgradcc gives pointers inside local structs no gradient buffer: pass that array as a parameter of its own, or make it an array member
/* A struct holding a pointer to the differentiated data, kept in an
 * array of structs: its pointer member cannot be held in a variable of its
 * own, and the struct's gradient would need a buffer behind that
 * pointer. */
typedef struct {
  const double *w;
  double d;
} M;

double f(const double *x) {
  M m = {x, 0.25};
  M all[2];
  all[0] = m;
  all[1] = m;
  return m.w[1] * m.d + m.w[0] + all[1].d;
}
#pragma vgrad value_and_grad(f) argnums(0)
