/* logreg.h: L2-regularised logistic regression (its definition is in
 * logreg.c).
 *
 * REAL is double unless the file is compiled with -DREAL=float. */
#ifndef LOGREG_H
#define LOGREG_H

#ifndef REAL
#define REAL double
#endif

/* n examples of d features (X is n-by-d, row-major), labels y[i] in {0, 1},
 * weights w (d), bias b, regularisation strength lambda. Returns the mean
 * negative log-likelihood plus lambda/2 |w|^2. */
REAL logreg_loss(const REAL *w, REAL b, const REAL *X, const int *y, int n, int d, REAL lambda);

#endif
