// expect: 10:5: error: 'case 2' inside another statement of the switch (as in Duff's device) is not supported; put each case label directly in the switch's braces
/* A case label nested in a loop of the switch's body (Duff's device). */
double duff(const double *x, int n) {
  double s = 0;
  int i = 0;
  switch (n % 3) {
  case 0:
    do {
      s += x[i++];
    case 2:
      s += x[i++];
    case 1:
      s += x[i++];
    } while (i < n);
  }
  return s;
}
#pragma vgrad value_and_grad(duff)
