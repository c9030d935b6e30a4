// mlp.cpp: the MLP loss of objectives/mlp.c with adouble.
#include <vector>

#include "../problems.h"
#include "adolc_bench.h"
#include "adolc_tape.h"

namespace {

adouble mlp_record(const void *ctx, const adouble *theta) {
  const MlpProblem *p = static_cast<const MlpProblem *>(ctx);
  int nin = p->nin, nhid = p->nhid;
  const adouble *W1 = theta, *b1 = W1 + (long)nhid * nin, *W2 = b1 + nhid, *b2 = W2 + nhid;
  std::vector<adouble> h(nhid);
  adouble sum = 0.0;
  for (int s = 0; s < p->batch; s++) {
    const double *x = p->X + (long)s * nin;
    for (int j = 0; j < nhid; j++) {
      const adouble *row = W1 + (long)j * nin;
      adouble z = b1[j];
      for (int i = 0; i < nin; i++)
        z += row[i] * x[i];
      h[j] = tanh(z);
    }
    adouble pred = *b2;
    for (int j = 0; j < nhid; j++)
      pred += W2[j] * h[j];
    adouble diff = pred - p->y[s];
    sum += diff * diff;
  }
  return sum / p->batch;
}

} // namespace

double adolc_mlp_tape(void *ctx, double *grad) {
  const MlpProblem *p = static_cast<const MlpProblem *>(ctx);
  return adolc_record_and_reverse(p, mlp_record, p->ntheta, p->theta, grad);
}

double adolc_mlp_reuse(void *ctx, double *grad) {
  const MlpProblem *p = static_cast<const MlpProblem *>(ctx);
  return adolc_reverse_reused(p->ntheta, p->theta, grad);
}
