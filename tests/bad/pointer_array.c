// expect: 5:17: error: storing a pointer in 'rows[0]' is not supported: vgradcc follows a pointer held in a variable of its own, not in an array of pointers ('rows'); use the arrays by their own names (a loop for each), or keep them in one block and index it at each one's offset
/* An array of pointers to the differentiated arrays, walked in a loop:
 * the pointers' gradient buffers would have to follow array elements. */
double f(const double *a, const double *b, const double *c, int n) {
  const double *rows[3] = {a, b, c};
  double s = 0;
  for (int r = 0; r < 3; r++)
    for (int i = 0; i < n; i++)
      s += rows[r][i] * (r + 1);
  return s;
}
#pragma vgrad value_and_grad(f) argnums(0, 1, 2)
