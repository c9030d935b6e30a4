/* mem_move: memmove within one buffer, where the regions overlap: a shift
 * to the right (buf + 1 from buf: copied backward, decided at compile
 * time), a shift to the left (forward), and a move between two pointers
 * into one heap buffer whose order is known only at run time (an if on
 * the pointers picks the direction).  A forward copy in the first case
 * would smear buf[0] over the buffer: the value check and the gradient
 * check both see it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef REAL
#define REAL double
#endif

REAL mem_move(const REAL *x, REAL a, int n, int shift) {
  REAL buf[8];
  memcpy(buf, x, n * sizeof *x);
  for (int r = 0; r < 3; r++) {
    memmove(buf + 1, buf, (n - 1) * sizeof(REAL));
    buf[0] = a * buf[n - 1] + sin(buf[1]);
  }
  memmove(buf, buf + 2, (n - 2) * sizeof buf[0]);
  REAL *p = malloc(2 * n * sizeof *p);
  memcpy(p, buf, n * sizeof *p);
  memcpy(p + n, x, n * sizeof *p);
  REAL *from = p + shift, *to = p + n / 2;
  memmove(to, from, n * sizeof *p);
  REAL s = 0;
  for (int i = 0; i < 2 * n; i++)
    s += (i + 1) * p[i] * p[i];
  free(p);
  return s;
}
#pragma vgrad value_and_grad(mem_move) argnums(0, 1)

#ifdef VG_DRIVER
#include "mem_move.vg.h"
#include "fdcheck.h"

static REAL in_x[6] = {0.5, -0.3, 0.8, 0.1, 0.4, -0.6}, in_a = 0.7;
static int in_shift;
static REAL loss(void) { return mem_move(in_x, in_a, 6, in_shift); }

int main(void) {
  /* the run-time move forward (shift 5 > 3), then backward (shift 1 < 3) */
  for (in_shift = 5; in_shift >= 1; in_shift -= 4) {
    REAL d_x[6] = {0}, d_a = 0;
    REAL v = mem_move_value_and_grad(in_x, in_a, 6, in_shift, d_x, &d_a);
    fd_value("value", v, loss());
    fd_check_array("d_x", in_x, d_x, 6, loss);
    fd_check("d_a", -1, &in_a, d_a, loss);
  }
  return fd_report("mem_move");
}
#endif
