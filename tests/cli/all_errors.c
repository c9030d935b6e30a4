/* Every error of a file in one run (cli/all-errors): three functions, one
 * with three refused statements.  The test expects exactly the errors
 * listed in the "error:" comments, in this order, and no output file. */
#include <complex.h>

double first(double x) {
  const char *unit = "m";                /* error: 7:22 */
  double y = x * 2.0;
  long double complex z = y;             /* error: 9:23 */
  long double w = y;                     /* error: 10:15 */
  return y + (double)unit[0] + creal(z) + (double)w;
}

double second(double x) {
  static double calls;                   /* error: 15:17 */
  calls += 1.0;
  return x * calls;
}

double third(double x) {
  int i = 0;
again:
  x = 0.5 * x;
  if (++i < 3)
    goto again;                          /* error: 25:5 */
  return x;
}

#pragma vgrad value_and_grad(first)
#pragma vgrad value_and_grad(second)
#pragma vgrad value_and_grad(third)
