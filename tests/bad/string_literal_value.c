// expect: 7:22: error: a string literal in a differentiated function is supported only as an argument of a function of another file (printf("...", x)); pass the text in as a parameter
/* A string kept in a variable: the generated function has no use for
 * it, and a gradient through text is meaningless. */
#include <string.h>

double f(double x) {
  const char *unit = "metres";
  return x * x * (double)strlen(unit);
}
#pragma vgrad value_and_grad(f)
