/* rk4_main.c: RK4 integration of a four-species competitive Lotka-Volterra
 * system (Vano et al., 2006; the benchmark's parameters) for 1000 steps of
 * h = 0.01, and the gradient of 1/2 |x(T)|^2 with respect to the initial
 * state and the parameters, from the function vgradcc generated from rk4.c.
 * Build:
 *
 *     vgradcc rk4.c -o rk4.vg.c
 *     cc rk4_main.c rk4.c rk4.vg.c -lvgrad -lm */
#include <stdio.h>

#include "rk4.h"
#include "rk4.vg.h" /* declares lv_rk4_value_and_grad */

int main(void) {
  REAL x0[LV_N] = {0.3, 0.4, 0.3, 0.2};
  LVParams par = {
      {1.0, 0.72, 1.53, 1.27},
      {{1.0, 1.09, 1.52, 0.0}, {0.0, 1.0, 0.44, 1.36}, {2.33, 0.0, 1.0, 0.47}, {1.21, 0.51, 0.35, 1.0}},
  };
  const int steps = 1000;
  const REAL h = (REAL)0.01;

  /* Gradients are added to: start from zero, the struct one included. */
  REAL d_x0[LV_N] = {0};
  LVParams d_par = {{0}, {{0}}};
  REAL loss = lv_rk4_value_and_grad(x0, &par, steps, h, d_x0, &d_par);

  printf("rk4: %d steps of h = %g\n", steps, (double)h);
  printf("loss = 1/2 |x(T)|^2 = %.6f\n", (double)loss);
  printf("d loss / d x0      = [%.6f, %.6f, %.6f, %.6f]\n", (double)d_x0[0], (double)d_x0[1],
         (double)d_x0[2], (double)d_x0[3]);
  printf("d loss / d par.r   = [%.6f, %.6f, %.6f, %.6f]\n", (double)d_par.r[0], (double)d_par.r[1],
         (double)d_par.r[2], (double)d_par.r[3]);
  printf("d loss / d par.a[0] = [%.6f, %.6f, %.6f, %.6f]\n", (double)d_par.a[0][0],
         (double)d_par.a[0][1], (double)d_par.a[0][2], (double)d_par.a[0][3]);
  return 0;
}
