/* mlp_check.c: the gradient vgradcc generates for samples/mlp.c (a 3-4-1
 * perceptron with a tanh hidden layer, mean squared error over a batch of
 * 5) against central finite differences, for every entry of d_W1, d_b1,
 * d_W2 and d_b2, at two points.  Tolerances: samplecheck.h. */
#include "mlp.h"
#include "mlp.vg.h"
#include "samplecheck.h"

enum { NIN = 3, NHID = 4, BATCH = 5 };

static REAL W1[NHID * NIN], b1[NHID], W2[NHID], b2, X[BATCH * NIN], y[BATCH];

static REAL loss(void) { return mlp_loss(NIN, NHID, BATCH, W1, b1, W2, b2, X, y); }

int main(void) {
  for (int point = 0; point < 2; point++) {
    sc_fill(W1, NHID * NIN, -1, 1);
    sc_fill(b1, NHID, -0.5, 0.5);
    sc_fill(W2, NHID, -1, 1);
    b2 = (REAL)sc_uniform(-0.5, 0.5);
    sc_fill(X, BATCH * NIN, -1, 1);
    sc_fill(y, BATCH, -1, 1);

    REAL d_W1[NHID * NIN], d_b1[NHID], d_W2[NHID], d_b2 = 0;
    sc_zero(d_W1, NHID * NIN);
    sc_zero(d_b1, NHID);
    sc_zero(d_W2, NHID);
    REAL v = mlp_loss_value_and_grad(NIN, NHID, BATCH, W1, b1, W2, b2, X, y, d_W1, d_b1, d_W2, &d_b2);

    REAL want = sc_begin(loss);
    printf("point %d: loss = %.10g\n", point, (double)want);
    fd_value("loss", v, want);
    sc_check_array("d_W1", W1, d_W1, NHID * NIN, loss);
    sc_check_array("d_b1", b1, d_b1, NHID, loss);
    sc_check_array("d_W2", W2, d_W2, NHID, loss);
    sc_check("d_b2", -1, &b2, d_b2, loss);
  }
  return sc_report("mlp");
}
