/* The ODE fit (ode.c): value and gradient with respect to the four
 * Lotka-Volterra rates and the initial state against central finite
 * differences (tests/fdcheck.h). */
#include "fdcheck.h"
#include "ode.h"
#include "ode.vg.h"

enum { NOBS = 4, STEPS = 5 };
static REAL params[4] = {1.1, 0.4, 0.1, 0.4};
static REAL y0[2] = {2.0, 1.5};
static const REAL data[2 * NOBS] = {2.3, 1.2, 2.7, 1.0, 3.0, 0.95, 3.2, 1.0};
static const REAL dt = 0.05;

static REAL loss(void) { return fit_error(params, y0, data, NOBS, STEPS, dt); }

int main(void)
{
    REAL d_params[4] = {0}, d_y0[2] = {0};
    REAL v = fit_error_value_and_grad(params, y0, data, NOBS, STEPS, dt, d_params, d_y0);
    fd_value("fit_error", v, loss());
    fd_check_array("d_params", params, d_params, 4, loss);
    fd_check_array("d_y0", y0, d_y0, 2, loss);
    return fd_report("realistic/ode_fit");
}
