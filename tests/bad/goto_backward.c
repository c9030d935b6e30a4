// expect: 8:5: error: 'goto again' jumps back to the label on line 5; only forward jumps are supported: write the repetition as a loop (while, for or do)
/* A backward goto: a loop written with goto. */
double halve_until_small(double x) {
  double y = x * x;
again:
  y = y * 0.5;
  if (y > 1)
    goto again;
  return y;
}
#pragma vgrad value_and_grad(halve_until_small)
