/* recurrence_main.c: one million steps of x = x + h sin(p x) from x0 = 0.5,
 * with p = 1.3 and h = 2e-6 (the benchmark's), and the derivatives of the
 * final x with respect to x0 and p, from the function vgradcc generated from
 * recurrence.c. Build:
 *
 *     vgradcc recurrence.c -o recurrence.vg.c
 *     cc recurrence_main.c recurrence.c recurrence.vg.c -lvgrad -lm */
#include <stdio.h>

#include "recurrence.h"
#include "recurrence.vg.h" /* declares recurrence_value_and_grad */

int main(void) {
  const long steps = 1000000;
  REAL x0 = (REAL)0.5, p = (REAL)1.3, h = (REAL)2e-6;
  REAL d_x0 = 0, d_p = 0;
  REAL x = recurrence_value_and_grad(x0, p, h, steps, &d_x0, &d_p);

  printf("recurrence: %ld steps of x = x + h sin(p x), x0 = %g, p = %g, h = %g\n", steps, (double)x0,
         (double)p, (double)h);
  printf("x_final          = %.6f\n", (double)x);
  printf("d x_final / d x0 = %.6f\n", (double)d_x0);
  printf("d x_final / d p  = %.6f\n", (double)d_p);
  return 0;
}
