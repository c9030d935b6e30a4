/* lstm.h: the ADBench LSTM sequence loss (its definition is in lstm.c).
 *
 * REAL is double unless the file is compiled with -DREAL=float. */
#ifndef LSTM_H
#define LSTM_H

#ifndef REAL
#define REAL double
#endif

/* l layers, c characters of b values each. main_params (2*l*4*b): per layer,
 * weights (4b) then biases (4b) of the forget, input, output and change
 * gates; extra_params (3b): input weights, output weights, output biases;
 * state (2*l*b): per layer hidden (b) then cell (b), updated in place;
 * sequence (c*b). Writes the mean negative log-likelihood to *loss. */
void lstm_objective(int l, int c, int b, const REAL *main_params, const REAL *extra_params,
                    REAL *state, const REAL *sequence, REAL *loss);

#endif
