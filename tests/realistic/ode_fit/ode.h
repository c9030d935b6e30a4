#ifndef ODE_H
#define ODE_H
#ifndef REAL
#define REAL double
#endif

/* dy/dt = f(t, y; params), n states. */
typedef void (*ode_rhs)(REAL t, const REAL *y, REAL *dydt, const REAL *params);

void lotka_volterra(REAL t, const REAL *y, REAL *dydt, const REAL *params);
REAL fit_error(const REAL *params, const REAL *y0, const REAL *data, int nobs, int steps_per_obs, REAL dt);
#endif
