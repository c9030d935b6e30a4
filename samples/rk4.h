/* rk4.h: RK4 integration of a four-species competitive Lotka-Volterra system.
 *
 * REAL is double unless the file is compiled with -DREAL=float. */
#ifndef RK4_H
#define RK4_H

#ifndef REAL
#define REAL double
#endif

enum { LV_N = 4 };

/* dx_i/dt = r_i x_i (1 - sum_j a_ij x_j) */
typedef struct {
  REAL r[LV_N];
  REAL a[LV_N][LV_N];
} LVParams;

/* Integrates from x0 with `steps` RK4 steps of size h; returns 1/2 |x(T)|^2. */
REAL lv_rk4(const REAL *x0, const LVParams *par, int steps, REAL h);

#endif
