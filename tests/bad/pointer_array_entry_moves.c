// expect: 10:5: error: 'p' changes here while the array of pointers 'rows' (line 5) holds a pointer computed from it: vgradcc replaces each entry by the pointer it holds, so it must stay the same; declare 'rows' after the last change of 'p', or use the arrays by their own names
/* An array of pointers whose entry's pointer moves while the array lives. */
double f(const double *a, const double *b, int n) {
  const double *p = a;
  const double *rows[2] = {p, b};
  double s = 0;
  for (int k = 0; k < 2; k++) {
    for (int i = 0; i < n; i++)
      s += rows[k][i] * rows[1 - k][i];
    p = b;
  }
  return s + p[0];
}
#pragma vgrad value_and_grad(f) argnums(0, 1)
