/* recurrence.h: a long scalar recurrence. */
#ifndef RECURRENCE_H
#define RECURRENCE_H

/* x_0 = x0, x_{i+1} = x_i + h sin(p x_i); returns x_steps. */
double recurrence(double x0, double p, double h, long steps);

#endif
