/* recurrence.h: a long scalar recurrence.
 *
 * REAL is double unless the file is compiled with -DREAL=float. */
#ifndef RECURRENCE_H
#define RECURRENCE_H

#ifndef REAL
#define REAL double
#endif

/* x_0 = x0, x_{i+1} = x_i + h sin(p x_i); returns x_steps. */
REAL recurrence(REAL x0, REAL p, REAL h, long steps);

#endif
