/* loss_member: a void function leaves its loss in a member of a struct it
 * gets by pointer, loss(model->mean_loss).  Without argnames the model is
 * selected (argnums(0)): d_model gets the gradient of its weights, and of
 * mean_loss, which the function overwrites, nothing (the caller's value
 * stays).  With argnames(x) the model is not selected: its gradient lives
 * in a buffer of the generated function.  model->mean_loss holds the loss
 * after either call, as after fit(). */
#include <math.h>

#include "loss_member.h"

void fit(struct Model *model, const REAL *x, const REAL *y, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++) {
    REAL r = model->w[0] * x[i] + model->w[1] * x[i] * x[i] + model->bias - y[i];
    s += r * r;
  }
  model->mean_loss = s / n + 0.01 * (model->w[0] * model->w[0] + model->w[1] * model->w[1]);
}
#pragma vgrad value_and_grad(fit) loss(model->mean_loss)
#pragma vgrad grad(fit) argnames(x) loss(model->mean_loss)

#ifdef VG_DRIVER
#include "loss_member.vg.h"
#include "fdcheck.h"

enum { N = 4 };
static struct Model in_model = {{0.5, -0.2}, 0.1, 0};
static REAL in_x[N] = {0.3, -1.1, 0.7, 1.6};
static const REAL in_y[N] = {0.2, 0.9, -0.4, 0.5};
static REAL loss(void) {
  struct Model m = in_model;
  fit(&m, in_x, in_y, N);
  return m.mean_loss;
}

int main(void) {
  struct Model m = in_model, d_model = {{0, 0}, 0, 0.25};
  fit_value_and_grad(&m, in_x, in_y, N, &d_model);
  fd_value("model->mean_loss", m.mean_loss, loss());
  fd_check("d_model.w", 0, &in_model.w[0], d_model.w[0], loss);
  fd_check("d_model.w", 1, &in_model.w[1], d_model.w[1], loss);
  fd_check("d_model.bias", -1, &in_model.bias, d_model.bias, loss);
  fd_check("d_model.mean_loss", -1, &in_model.mean_loss, d_model.mean_loss - 0.25, loss);

  struct Model m2 = in_model;
  REAL d_x[N] = {0};
  fit_grad(&m2, in_x, in_y, N, d_x);
  fd_value("model->mean_loss (grad)", m2.mean_loss, loss());
  fd_check_array("d_x", in_x, d_x, N, loss);
  return fd_report("loss_member");
}
#endif
