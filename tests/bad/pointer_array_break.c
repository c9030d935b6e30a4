// expect: 7:9: error: the index 'k' of 'rows', an array of pointers, is not known when compiling: vgradcc replaces each entry by the pointer it holds, so it needs a constant index or the counter of a loop with a constant count (at most 64 trips, no break or continue); use the arrays by their own names, or keep them in one block and index it at each one's offset
/* A loop over an array of pointers that stops early. */
double f(const double *a, const double *b, int n) {
  const double *rows[2] = {a, b};
  double s = 0;
  for (int k = 0; k < 2; k++) {
    if (rows[k][0] > 0.5)
      break;
    s += rows[k][1] * rows[k][0];
  }
  return s;
}
#pragma vgrad value_and_grad(f) argnums(0, 1)
