#ifndef LSTM_H
#define LSTM_H
#ifndef REAL
#define REAL double
#endif
void lstm_objective(int layers, int steps, int h, const REAL *weights, const REAL *extra, REAL *state,
                    const REAL *sequence, REAL *loss);
#endif
