/* mlp.h: a one-hidden-layer perceptron with a mean-squared-error loss. */
#ifndef MLP_H
#define MLP_H

/* W1: nhid x nin (row-major), b1: nhid, W2: nhid, b2: the output bias.
 * X: batch x nin, y: batch targets. Returns mean((W2 . tanh(W1 x + b1) + b2 - y)^2). */
double mlp_loss(int nin, int nhid, int batch, const double *W1, const double *b1,
                const double *W2, double b2, const double *X, const double *y);

#endif
