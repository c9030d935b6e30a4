// expect: 8:3: error: storing a pointer in 'rows[1]' is not supported: vgradcc follows a pointer held in a variable of its own, not in a struct member or an array; keep it in a local pointer variable ('const double *p = ...') and use that
/* An entry of an array of pointers replaced after its declaration. */
double f(const double *a, const double *b, const double *c, int n) {
  const double *rows[2] = {a, b};
  double s = 0;
  for (int i = 0; i < n; i++)
    s += rows[0][i] * rows[1][i];
  rows[1] = c;
  for (int i = 0; i < n; i++)
    s += rows[0][i] * rows[1][i];
  return s;
}
#pragma vgrad value_and_grad(f) argnums(0, 1, 2)
