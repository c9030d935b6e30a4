/* lstm.h: the ADBench LSTM sequence loss. */
#ifndef LSTM_H
#define LSTM_H

/* l layers, c characters of b values each. main_params: per layer, weights
 * (4b) then biases (4b) of the forget, input, output and change gates;
 * extra_params: input weights, output weights, output biases (b each);
 * state: per layer hidden (b) then cell (b), updated in place; sequence (c*b).
 * Writes the mean negative log-likelihood to *loss. */
void lstm_objective(int l, int c, int b, const double *main_params, const double *extra_params,
                    double *state, const double *sequence, double *loss);

#endif
