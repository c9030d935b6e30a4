/* recurrence.c: one million steps of x = x + h sin(p x). */
#include "recurrence.h"

#include <math.h>

#pragma vgrad value_and_grad(recurrence) argnames(x0, p)

double recurrence(double x0, double p, double h, long steps) {
  double x = x0;
  for (long i = 0; i < steps; i++)
    x = x + h * sin(p * x);
  return x;
}
