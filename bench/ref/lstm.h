/* ref/lstm.h: the ADBench LSTM objective written as ADBench's C reference
 * writes it (see lstm.c); same inputs and value as ../../samples/lstm.h. */
#ifndef REF_LSTM_H
#define REF_LSTM_H

/* l layers of b cells over c characters; main_params (2*l*4*b),
 * extra_params (3*b), state (2*l*b, updated in place), sequence (c*b). */
void ref_lstm_objective(int l, int c, int b, const double *main_params,
                        const double *extra_params, double *state, const double *sequence,
                        double *loss);

#endif
