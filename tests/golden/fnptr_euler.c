/* fnptr_euler: fitting a damped oscillator's stiffness and damping to
 * observed positions with an explicit Euler integrator that takes the
 * right-hand side as a function pointer of a typedef'd type, called as
 * rhs(...).  ode_fit passes the model by name; ode_fit_either chooses it
 * at run time (nonlinear ? pendulum : damped), and the call through the
 * pointer becomes an if-chain of the two inlined models.  FD f64/f32,
 * both models. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

typedef void (*rhs_fn)(REAL t, const REAL *y, REAL *dy, const REAL *params);

static void damped(REAL t, const REAL *y, REAL *dy, const REAL *params) {
  (void)t;
  dy[0] = y[1];
  dy[1] = -params[0] * y[0] - params[1] * y[1];
}

static void pendulum(REAL t, const REAL *y, REAL *dy, const REAL *params) {
  (void)t;
  dy[0] = y[1];
  dy[1] = -params[0] * sin(y[0]) - params[1] * y[1];
}

/* `steps` Euler steps of size h from t0: y becomes y(t0 + steps h). */
static void euler(rhs_fn rhs, REAL *y, int n, REAL t0, REAL h, int steps, const REAL *params) {
  REAL dy[4];
  for (int s = 0; s < steps; s++) {
    rhs(t0 + s * h, y, dy, params);
    for (int i = 0; i < n; i++)
      y[i] += h * dy[i];
  }
}

/* Sum of squared differences between the position and data[k], observed
 * every 4 steps of size h. */
REAL ode_fit(const REAL *params, const REAL *y0, const REAL *data, int m, REAL h) {
  REAL y[2] = {y0[0], y0[1]};
  REAL loss = 0;
  for (int k = 0; k < m; k++) {
    euler(damped, y, 2, 4 * k * h, h, 4, params);
    REAL r = y[0] - data[k];
    loss += r * r;
  }
  return loss;
}
#pragma vgrad value_and_grad(ode_fit) argnums(0, 1)

REAL ode_fit_either(const REAL *params, const REAL *y0, const REAL *data, int m, REAL h, int nonlinear) {
  rhs_fn model = nonlinear ? pendulum : damped;
  REAL y[2] = {y0[0], y0[1]};
  REAL loss = 0;
  for (int k = 0; k < m; k++) {
    euler(model, y, 2, 4 * k * h, h, 4, params);
    REAL r = y[0] - data[k];
    loss += r * r;
  }
  return loss;
}
#pragma vgrad value_and_grad(ode_fit_either) argnums(0)

#ifdef VG_DRIVER
#include "fnptr_euler.vg.h"
#include "fdcheck.h"

static REAL in_params[2] = {2.0, 0.3};
static REAL in_y0[2] = {1.0, 0.0};
/* positions of the damped oscillator with params {2.5, 0.2} every 0.2 (fine steps), rounded */
static const REAL data[6] = {0.95, 0.81, 0.60, 0.34, 0.05, -0.23};
static int nonlinear;
static REAL loss(void) { return ode_fit(in_params, in_y0, data, 6, (REAL)0.05); }
static REAL loss_either(void) { return ode_fit_either(in_params, in_y0, data, 6, (REAL)0.05, nonlinear); }

int main(void) {
  REAL d_params[2] = {0}, d_y0[2] = {0};
  REAL v = ode_fit_value_and_grad(in_params, in_y0, data, 6, (REAL)0.05, d_params, d_y0);
  fd_value("ode_fit", v, loss());
  fd_check_array("d_params", in_params, d_params, 2, loss);
  fd_check_array("d_y0", in_y0, d_y0, 2, loss);
  REAL first = 0;
  for (nonlinear = 0; nonlinear < 2; nonlinear++) {
    REAL d_p[2] = {0};
    REAL w = ode_fit_either_value_and_grad(in_params, in_y0, data, 6, (REAL)0.05, nonlinear, d_p);
    fd_value(nonlinear ? "ode_fit_either pendulum" : "ode_fit_either damped", w, loss_either());
    fd_check_array(nonlinear ? "d_params pendulum" : "d_params damped", in_params, d_p, 2, loss_either);
    if (!nonlinear)
      first = w;
  }
  fd_checks++;
  if (first != v) { /* the same model either way */
    printf("MISMATCH ode_fit_either damped %g, ode_fit %g\n", (double)first, (double)v);
    fd_failures++;
  }
  return fd_report("fnptr_euler");
}
#endif
