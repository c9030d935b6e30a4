/* vg/ref_lstm.c: calls ref_lstm_objective_value_and_grad on a fresh copy of
 * the state, which the objective updates in place. */
#include <string.h>

#include "ref_lstm.vg.h"
#include "vg_bench.h"

double vg_ref_lstm(void *ctx, double *grad) {
  const LstmInput *in = ctx;
  double state[2 * in->l * in->b];
  memcpy(state, in->state, sizeof state);
  double d_state[2 * in->l * in->b];
  memset(d_state, 0, sizeof d_state);
  double loss;
  double *d_main = grad, *d_extra = grad + 8L * in->l * in->b;
  ref_lstm_objective_value_and_grad(in->l, in->c, in->b, in->main_params, in->extra_params,
                                    state, in->sequence, &loss, d_main, d_extra, d_state);
  return loss;
}
