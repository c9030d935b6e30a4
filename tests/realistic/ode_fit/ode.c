/* An ODE parameter fit as numerical C writes it: a classic fourth-order
 * Runge-Kutta integrator that takes the right-hand side as a function
 * pointer (and its parameters as an opaque array), work arrays on the
 * heap, and a least-squares misfit to observations.  Differentiated
 * unchanged but for the pragma at the end. */
#include <stdlib.h>
#include <string.h>

#include "ode.h"

void lotka_volterra(REAL t, const REAL *y, REAL *dydt, const REAL *params)
{
    (void)t;
    REAL alpha = params[0], beta = params[1], delta = params[2], gamma = params[3];
    dydt[0] = alpha * y[0] - beta * y[0] * y[1];
    dydt[1] = delta * y[0] * y[1] - gamma * y[1];
}

/* One RK4 step of size h from t: y is advanced in place. */
static void rk4_step(ode_rhs f, REAL t, REAL h, REAL *y, int n, const REAL *params, REAL *work)
{
    REAL *k1 = work, *k2 = work + n, *k3 = work + 2 * n, *k4 = work + 3 * n, *tmp = work + 4 * n;
    int i;
    f(t, y, k1, params);
    for (i = 0; i < n; i++)
        tmp[i] = y[i] + 0.5 * h * k1[i];
    f(t + 0.5 * h, tmp, k2, params);
    for (i = 0; i < n; i++)
        tmp[i] = y[i] + 0.5 * h * k2[i];
    (*f)(t + 0.5 * h, tmp, k3, params);
    for (i = 0; i < n; i++)
        tmp[i] = y[i] + h * k3[i];
    (*f)(t + h, tmp, k4, params);
    for (i = 0; i < n; i++)
        y[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
}

static void integrate(ode_rhs f, REAL *y, int n, REAL t0, REAL dt, int steps, const REAL *params, REAL *work)
{
    REAL t = t0;
    for (int s = 0; s < steps; s++) {
        rk4_step(f, t, dt, y, n, params, work);
        t += dt;
    }
}

/* Sum of squared differences between the trajectory from y0 and the
 * observations data[k*2 .. k*2+1], one every steps_per_obs steps. */
REAL fit_error(const REAL *params, const REAL *y0, const REAL *data, int nobs, int steps_per_obs, REAL dt)
{
    const int n = 2;
    REAL *y = malloc(n * sizeof *y);
    REAL *work = malloc(5 * n * sizeof *work);
    memcpy(y, y0, n * sizeof *y);
    REAL err = 0, t = 0;
    for (int k = 0; k < nobs; k++) {
        integrate(lotka_volterra, y, n, t, dt, steps_per_obs, params, work);
        t += steps_per_obs * dt;
        for (int i = 0; i < n; i++) {
            REAL r = y[i] - data[k * n + i];
            err += r * r;
        }
    }
    free(y);
    free(work);
    return err;
}

#pragma vgrad value_and_grad(fit_error) argnames(params, y0)
