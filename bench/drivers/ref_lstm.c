/* drivers/ref_lstm.c: LSTM as ADBench's C reference writes it (ref/lstm.c)
 * on one ADBench input file. */
#include <stdio.h>
#include <string.h>

#include "../ref/lstm.h"
#include "common.h"

/* Every method starts from the file's state: the objective updates it. */
static double primal(void *ctx, double *grad) {
  (void)grad;
  const LstmInput *in = ctx;
  double state[2 * in->l * in->b];
  memcpy(state, in->state, sizeof state);
  double loss;
  ref_lstm_objective(in->l, in->c, in->b, in->main_params, in->extra_params, state,
                     in->sequence, &loss);
  return loss;
}

int main(int argc, char **argv) {
  Bench b;
  bench_init(&b, "ref_lstm", argc, argv);
  LstmInput in;
  if (!b.input) {
    fprintf(stderr, "usage: %s [options] lstm_lL_cC.txt\n", argv[0]);
    return 2;
  }
  if (lstm_load(b.input, &in) != 0)
    return 1;
  bench_problem(&b, in.theta, in.ntheta);
  bench_add(&b, "primal", primal, &in, 0);
  ADD_VGRADCC(&b, vg_ref_lstm, &in);
  int rc = bench_run(&b);
  lstm_free(&in);
  return rc;
}
