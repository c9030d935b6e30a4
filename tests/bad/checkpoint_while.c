// expect: 7:3: error: only a counted loop
/* Only counted for loops can be checkpointed: the schedule needs the
 * number of steps and the counter of each. */
double f(double x) {
  double y = x;
#pragma vgrad checkpoint
  while (y < 10)
    y = y * 1.5 + x;
  return y;
}
#pragma vgrad value_and_grad(f)
