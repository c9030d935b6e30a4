// expect: 6:28: error: 'x + 1' is passed to the recursive function 'sum' as its array 'x': vgradcc passes an array to a recursive function only as a variable of the caller (pass 'x', not 'x + k' or '&x[k]'); give the offset as an index parameter instead
/* An array passed down with an offset. */
double sum(const double *x, int n) {
  if (n == 0)
    return 0;
  return x[0] * x[0] + sum(x + 1, n - 1);
}
#pragma vgrad value_and_grad(sum)
