/* tests/cli/multi: what fit.c and model.c share (cli/multi-helper). */
#ifndef MODEL_H
#define MODEL_H

#include <math.h>

#ifndef REAL
#define REAL double
#endif

extern REAL model_gain; /* defined in model.c */
REAL model_predict(const REAL *w, REAL x, int k); /* defined in model.c */

/* A helper of the header: differentiated through like the file's own. */
static inline REAL smooth_abs(REAL v) { return sqrt(v * v + (REAL)1e-2); }

#endif
