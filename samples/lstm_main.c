/* lstm_main.c: the ADBench LSTM loss on a small made-up problem (2 layers,
 * a sequence of 6 characters of 4 values): prints the loss and part of its
 * gradient, from the function vgradcc generated from lstm.c. The objective
 * advances the state in place, so the gradient with respect to state is the
 * one with respect to the initial state. Build:
 *
 *     vgradcc lstm.c -o lstm.vg.c
 *     cc lstm_main.c lstm.c lstm.vg.c -lvgrad -lm */
#include <math.h>
#include <stdio.h>

#include "lstm.h"
#include "lstm.vg.h" /* declares lstm_objective_value_and_grad */

enum { L = 2, C = 6, B = 4, NMAIN = 2 * L * 4 * B, NEXTRA = 3 * B, NSTATE = 2 * L * B };

int main(void) {
  REAL main_params[NMAIN], extra_params[NEXTRA], state[NSTATE], sequence[C * B];
  for (int i = 0; i < NMAIN; i++)
    main_params[i] = (REAL)(0.5 * sin(0.37 * i + 0.2));
  for (int i = 0; i < NEXTRA; i++)
    extra_params[i] = (REAL)(0.8 * cos(0.61 * i));
  for (int i = 0; i < NSTATE; i++)
    state[i] = (REAL)(0.1 * sin(1.1 * i));
  for (int i = 0; i < C * B; i++)
    sequence[i] = (REAL)(0.5 + 0.5 * sin(0.9 * i));

  REAL loss, d_main[NMAIN] = {0}, d_extra[NEXTRA] = {0}, d_state[NSTATE] = {0};
  lstm_objective_value_and_grad(L, C, B, main_params, extra_params, state, sequence, &loss, d_main,
                                d_extra, d_state);

  printf("lstm: %d layers, %d characters of %d values\n", L, C, B);
  printf("loss                             = %.6g\n", (double)loss);
  printf("d loss / d main_params[0..2]     = [%.6g, %.6g, %.6g]\n", (double)d_main[0],
         (double)d_main[1], (double)d_main[2]);
  printf("d loss / d extra_params[0..1]    = [%.6g, %.6g] (input weights)\n", (double)d_extra[0],
         (double)d_extra[1]);
  printf("d loss / d extra_params[%d..%d]    = [%.6g, %.6g] (output weights)\n", B, B + 1,
         (double)d_extra[B], (double)d_extra[B + 1]);
  printf("d loss / d state[0..2] (initial) = [%.6g, %.6g, %.6g]\n", (double)d_state[0],
         (double)d_state[1], (double)d_state[2]);
  printf("hidden state of layer 0 after the sequence = [%.6g, %.6g, %.6g, %.6g]\n", (double)state[0],
         (double)state[1], (double)state[2], (double)state[3]);
  return 0;
}
