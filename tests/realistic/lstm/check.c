/* The LSTM objective's gradient against central finite differences
 * (tests/fdcheck.h): 2 layers of h = 3 units over 4 steps.  The objective
 * overwrites the state it is given, so every call starts from a fresh copy
 * of the initial state, whose gradient is checked too. */
#include <string.h>

#include "fdcheck.h"
#include "lstm.h"
#include "lstm.vg.h"

enum { LAYERS = 2, H = 3, STEPS = 4 };

static REAL weights[LAYERS * 8 * H] = {
    0.3,  -0.2, 0.5,  0.1,  0.4,  -0.3, -0.6, 0.2,  0.35, 0.15, -0.25, 0.45,
    0.05, 0.1,  -0.1, 0.2,  -0.3, 0.25, 0.0,  0.15, -0.05, 0.1, 0.3,   -0.2,
    -0.4, 0.6,  0.2,  -0.15, 0.25, 0.5, 0.3,  -0.35, 0.1, -0.45, 0.2,  0.55,
    0.1,  -0.2, 0.05, 0.3,  0.15, -0.1, -0.25, 0.2, 0.05, 0.35, -0.15, 0.1};
static REAL extra[3 * H] = {1.1, 0.9, -0.8, 0.7, -1.2, 1.3, 0.1, -0.2, 0.05};
static REAL state0[2 * LAYERS * H] = {0.2, -0.1, 0.3, 0.05, -0.2, 0.1, -0.3, 0.25, 0.15, 0.1, 0.0, -0.05};
static REAL sequence[STEPS * H] = {0.5, -0.3, 0.8, 0.1, 0.9, -0.4, -0.6, 0.2, 0.3, 0.7, -0.1, 0.4};

static REAL loss(void)
{
    REAL state[2 * LAYERS * H], value;
    memcpy(state, state0, sizeof state);
    lstm_objective(LAYERS, STEPS, H, weights, extra, state, sequence, &value);
    return value;
}

int main(void)
{
    REAL state[2 * LAYERS * H], value = 0;
    REAL d_weights[LAYERS * 8 * H] = {0}, d_extra[3 * H] = {0}, d_state[2 * LAYERS * H] = {0};
    memcpy(state, state0, sizeof state);
    lstm_objective_grad(LAYERS, STEPS, H, weights, extra, state, sequence, &value, d_weights, d_extra, d_state);
    fd_value("loss", value, loss());
    /* the caller's state ends as after a plain call */
    REAL plain[2 * LAYERS * H], plain_value;
    memcpy(plain, state0, sizeof plain);
    lstm_objective(LAYERS, STEPS, H, weights, extra, plain, sequence, &plain_value);
    for (int i = 0; i < 2 * LAYERS * H; i++)
        fd_value("state after the call", state[i], plain[i]);
    fd_check_array("d_weights", weights, d_weights, LAYERS * 8 * H, loss);
    fd_check_array("d_extra", extra, d_extra, 3 * H, loss);
    fd_check_array("d_state", state0, d_state, 2 * LAYERS * H, loss);
    return fd_report("realistic/lstm");
}
