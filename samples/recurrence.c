/* recurrence.c: x = x + h sin(p x), repeated `steps` times (a million in
 * the benchmark and in recurrence_main.c), differentiated with respect to
 * the starting value x0 and the parameter p. The reverse sweep needs every
 * intermediate x, which the generated code keeps on its tape.
 *
 * Compile with -DREAL=float for a float32 version. */
#include "recurrence.h"

#include <math.h>

#pragma vgrad value_and_grad(recurrence) argnames(x0, p)

REAL recurrence(REAL x0, REAL p, REAL h, long steps) {
  REAL x = x0;
  for (long i = 0; i < steps; i++)
    x = x + h * sin(p * x);
  return x;
}
