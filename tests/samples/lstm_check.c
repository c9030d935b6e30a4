/* lstm_check.c: the gradient vgradcc generates for samples/lstm.c (the
 * ADBench LSTM) against central finite differences, for every entry of
 * d_main_params, d_extra_params and d_state (the gradient with respect to
 * the initial state), with l = 2 layers, c = 3 characters, b = 2 values.
 * The objective updates state in place: the generated function must leave
 * there what the original leaves.  Tolerances: samplecheck.h. */
#include <string.h>

#include "lstm.h"
#include "lstm.vg.h"
#include "samplecheck.h"

enum { L = 2, C = 3, B = 2, NMAIN = 2 * L * 4 * B, NEXTRA = 3 * B, NSTATE = 2 * L * B };

static REAL main_params[NMAIN], extra_params[NEXTRA], state0[NSTATE], sequence[C * B];

/* The loss from the initial state state0 (the objective overwrites its
 * state argument, so each evaluation starts from a copy). */
static REAL loss(void) {
  REAL state[NSTATE], out = 0;
  memcpy(state, state0, sizeof state);
  lstm_objective(L, C, B, main_params, extra_params, state, sequence, &out);
  return out;
}

int main(void) {
  for (int point = 0; point < 2; point++) {
    sc_fill(main_params, NMAIN, -1, 1);
    sc_fill(extra_params, NEXTRA, -1, 1);
    sc_fill(state0, NSTATE, -1, 1);
    sc_fill(sequence, C * B, -1, 1);

    REAL state[NSTATE], out = -1;
    REAL d_main[NMAIN], d_extra[NEXTRA], d_state[NSTATE];
    memcpy(state, state0, sizeof state);
    sc_zero(d_main, NMAIN);
    sc_zero(d_extra, NEXTRA);
    sc_zero(d_state, NSTATE);
    lstm_objective_value_and_grad(L, C, B, main_params, extra_params, state, sequence, &out, d_main,
                                  d_extra, d_state);

    /* The final state, as the original leaves it. */
    REAL want_state[NSTATE], want = 0;
    memcpy(want_state, state0, sizeof want_state);
    lstm_objective(L, C, B, main_params, extra_params, want_state, sequence, &want);
    for (int i = 0; i < NSTATE; i++)
      fd_same("state after the call", i, state[i], want_state[i]);

    sc_begin(loss);
    printf("point %d: loss = %.10g\n", point, (double)want);
    fd_value("loss", out, want);
    sc_check_array("d_main_params", main_params, d_main, NMAIN, loss);
    sc_check_array("d_extra_params", extra_params, d_extra, NEXTRA, loss);
    sc_check_array("d_state", state0, d_state, NSTATE, loss);
  }
  return sc_report("lstm");
}
