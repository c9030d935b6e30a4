/* mlp.h: a two-layer perceptron (one tanh hidden layer, a linear output)
 * with a mean-squared-error loss.
 *
 * REAL is double unless the file is compiled with -DREAL=float. */
#ifndef MLP_H
#define MLP_H

#ifndef REAL
#define REAL double
#endif

/* W1: nhid x nin (row-major), b1: nhid, W2: nhid, b2: the output bias.
 * X: batch x nin, y: batch targets. Returns mean((W2 . tanh(W1 x + b1) + b2 - y)^2). */
REAL mlp_loss(int nin, int nhid, int batch, const REAL *W1, const REAL *b1,
              const REAL *W2, REAL b2, const REAL *X, const REAL *y);

#endif
