// expect: 9:12: error: 'rows[2]' is a null pointer: the initializer of 'rows' gives 2 of its 3 entries
/* An array of pointers used at an entry its initializer leaves out (a null
 * pointer): refused, naming the entry. */
double pointer_array_null_entry(const double *a, const double *b, int n) {
  const double *rows[3] = {a, b};
  double s = 0;
  for (int r = 0; r < 3; r++)
    for (int i = 0; i < n; i++)
      s += rows[r][i] * rows[r][i];
  return s;
}
#pragma vgrad value_and_grad(pointer_array_null_entry) argnums(0, 1)
