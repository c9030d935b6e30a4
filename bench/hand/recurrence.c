/* hand/recurrence.c: adjoint of x = x + h sin(p x), storing the trajectory. */
#include "hand.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

double recurrence_hand(double x0, double p, double h, long steps, double *d_x0, double *d_p) {
  double *xs = malloc((steps > 0 ? steps : 1) * sizeof *xs);
  if (!xs) {
    fprintf(stderr, "recurrence_hand: out of memory\n");
    exit(1);
  }
  double x = x0;
  for (long i = 0; i < steps; i++) {
    xs[i] = x;
    x = x + h * sin(p * x);
  }

  /* Reverse: x_{i+1} = x_i + h sin(p x_i) gives
   * d x_{i+1} / d x_i = 1 + h p cos(p x_i), d x_{i+1} / d p = h x_i cos(p x_i). */
  double adj = 1.0, adj_p = 0.0;
  for (long i = steps - 1; i >= 0; i--) {
    double c = cos(p * xs[i]);
    adj_p += adj * h * xs[i] * c;
    adj *= 1.0 + h * p * c;
  }
  free(xs);
  *d_x0 += adj;
  *d_p += adj_p;
  return x;
}
