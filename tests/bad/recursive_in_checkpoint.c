// expect: 14:3: error: this loop under '#pragma vgrad checkpoint' calls a recursive function, whose reverse sweep cannot be replayed yet; remove the pragma, or move the call out of the loop
/* A recursive call in a checkpointed loop. */
#include <math.h>

static double g(double x, int n) {
  if (n == 0)
    return x;
  return sin(g(x, n - 1));
}

double loss(double x) {
  double y = x;
#pragma vgrad checkpoint
  for (int i = 0; i < 10; i++)
    y = y + g(y, 3);
  return y;
}
#pragma vgrad value_and_grad(loss)
