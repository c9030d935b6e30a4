// expect: 12:17: error: the array of pointers 'rows' is used other than as 'rows[k]' (passed to a function, or its address taken)
/* An array of pointers passed to a function: vgradcc replaces each use of
 * an entry by the pointer it holds, which it cannot follow into the call;
 * the message says so (it used to name a store the user did not write). */
double pair_dot(const double **p, int n) {
  double s = 0;
  for (int i = 0; i < n; i++)
    s += p[0][i] * p[1][i];
  return s;
}
double pointer_array_passed(const double *a, const double *b, int n) {
  const double *rows[2] = {a, b};
  return pair_dot(rows, n);
}
#pragma vgrad value_and_grad(pointer_array_passed) argnums(0, 1)
