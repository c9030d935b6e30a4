/* struct_aux: a loss returning a struct whose first member is the loss and
 * whose other members (a floating one and an int) are auxiliary outputs,
 * passed through (JAX's has_aux, MLX's (loss, mse, l1)). */
#include "struct_aux.h"

FitOut struct_aux(REAL w, REAL b, REAL lambda) {
  REAL e0 = w * 1.5 + b - 2.0;
  REAL e1 = w * -0.5 + b - 0.25;
  REAL fit = (e0 * e0 + e1 * e1) / 2;
  REAL penalty = lambda * w * w;
  FitOut out = {fit + penalty, fit, penalty, 2};
  return out;
}
#pragma vgrad value_and_grad(struct_aux) argnums(0, 1)

#ifdef VG_DRIVER
#include "struct_aux.vg.h"
#include "fdcheck.h"

static REAL in_w = 0.7, in_b = -0.2, in_lambda = 0.1;
static REAL loss(void) { return struct_aux(in_w, in_b, in_lambda).loss; }

int main(void) {
  REAL d_w = 0, d_b = 0;
  FitOut got = struct_aux_value_and_grad(in_w, in_b, in_lambda, &d_w, &d_b);
  FitOut want = struct_aux(in_w, in_b, in_lambda);
  fd_value("loss", got.loss, want.loss);
  fd_value("fit", got.fit, want.fit);
  fd_value("penalty", got.penalty, want.penalty);
  fd_value("nterms", got.nterms, want.nterms);
  fd_check("d_w", -1, &in_w, d_w, loss);
  fd_check("d_b", -1, &in_b, d_b, loss);
  return fd_report("struct_aux");
}
#endif
