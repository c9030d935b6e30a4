// expect: 6:26: error: 'expl' (long double) is not supported; call 'exp'
/* A math.h function's long double spelling (long double is refused). */
#include <math.h>

double math_long_double(double x) {
  double y = x * (double)expl(x);
  return y + sin(x);
}
#pragma vgrad value_and_grad(math_long_double)
