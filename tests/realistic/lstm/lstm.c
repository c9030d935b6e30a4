/* A stacked LSTM next-token objective in the style of ADBench's C
 * reference (diagonal gate weights): each layer's cell reads its input
 * through a pointer that starts in the scaled input and then walks up
 * through the layers' hidden states (`xp = state + 2 * l * h`), the cell
 * updates its hidden and cell state in place through pointers into the
 * caller's state, heap work arrays, a log-sum-exp helper.  Differentiated
 * unchanged but for the pragma at the end; REAL is double unless the test
 * builds it as float. */
#include <math.h>
#include <stdlib.h>

#include "lstm.h"

static REAL sigmoid(REAL v)
{
    return 1 / (1 + exp(-v));
}

static REAL logsumexp(const REAL *v, int n)
{
    REAL top = v[0];
    for (int i = 1; i < n; i++)
        if (v[i] > top)
            top = v[i];
    REAL sum = 0;
    for (int i = 0; i < n; i++)
        sum += exp(v[i] - top);
    return log(sum) + top;
}

/* One cell: gates forget, in, out and the candidate change, each with a
 * weight per unit (w) and a bias (b) laid out gate after gate. */
static void lstm_cell(int h, const REAL *w, const REAL *b, REAL *hidden, REAL *cell, const REAL *input)
{
    for (int i = 0; i < h; i++) {
        REAL forget = sigmoid(input[i] * w[i] + b[i]);
        REAL in = sigmoid(hidden[i] * w[h + i] + b[h + i]);
        REAL out = sigmoid(input[i] * w[2 * h + i] + b[2 * h + i]);
        REAL change = tanh(hidden[i] * w[3 * h + i] + b[3 * h + i]);
        cell[i] = cell[i] * forget + in * change;
        hidden[i] = out * tanh(cell[i]);
    }
}

/* One step: scale the input, run it up through the layers (each reads
 * the hidden state of the one below), and map the top hidden state to a
 * prediction. */
static void lstm_predict(int layers, int h, const REAL *weights, const REAL *extra, REAL *state, const REAL *x,
                         REAL *pred)
{
    for (int i = 0; i < h; i++)
        pred[i] = x[i] * extra[i];
    const REAL *xp = pred;
    for (int l = 0; l < layers; l++) {
        REAL *hidden = state + 2 * l * h;
        lstm_cell(h, weights + 8 * l * h, weights + 8 * l * h + 4 * h, hidden, hidden + h, xp);
        xp = state + 2 * l * h;
    }
    for (int i = 0; i < h; i++)
        pred[i] = xp[i] * extra[h + i] + extra[2 * h + i];
}

void lstm_objective(int layers, int steps, int h, const REAL *weights, const REAL *extra, REAL *state,
                    const REAL *sequence, REAL *loss)
{
    REAL total = 0;
    int count = 0;
    const REAL *input = sequence;
    REAL *pred = malloc(h * sizeof(REAL));
    REAL *normed = malloc(h * sizeof(REAL));
    for (int t = 0; t < (steps - 1) * h; t += h) {
        lstm_predict(layers, h, weights, extra, state, input, pred);
        REAL lse = logsumexp(pred, h);
        for (int i = 0; i < h; i++)
            normed[i] = pred[i] - lse;
        const REAL *target = sequence + t + h;
        for (int i = 0; i < h; i++)
            total += target[i] * normed[i];
        count += h;
        input = target;
    }
    *loss = -total / count;
    free(pred);
    free(normed);
}
#pragma vgrad grad(lstm_objective) argnums(3, 4, 5) loss(loss)
