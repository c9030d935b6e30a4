/* tests/cli/multi: the helper energy_a.c and energy_b.c both call (cli/multi-shared). */
#ifndef SHARED_H
#define SHARED_H

#ifndef REAL
#define REAL double
#endif

REAL soft_clip(REAL v, REAL c); /* defined in shared.c */
REAL energy_a(const REAL *x, int n);
REAL energy_b(REAL s, const REAL *x, int n);

#endif
