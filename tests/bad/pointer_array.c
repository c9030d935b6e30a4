// expect: 8:12: error: the index 'r' of 'rows', an array of pointers, is not known when compiling: vgradcc replaces each entry by the pointer it holds, so it needs a constant index or the counter of a loop with a constant count (at most 64 trips, no break or continue); use the arrays by their own names, or keep them in one block and index it at each one's offset
/* An array of pointers indexed by a count known only at run time. */
double f(const double *a, const double *b, const double *c, int nr, int n) {
  const double *rows[3] = {a, b, c};
  double s = 0;
  for (int r = 0; r < nr; r++)
    for (int i = 0; i < n; i++)
      s += rows[r][i] * (r + 1);
  return s;
}
#pragma vgrad value_and_grad(f) argnums(0, 1, 2)
