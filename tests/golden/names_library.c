/* names_library: parameters and locals named like what the generated file
 * refers to: a parameter `vg_tape` (the runtime's tape type, needed by the
 * loop), `malloc` and `memcpy` (<stdlib.h>, <string.h>: the input does not
 * include them, the generated file does), a local `sin` (the adjoint of
 * cos calls sin) and a local `tape`.  The generated function renames them
 * (vg_tape_2, malloc_2, ...); the gradient outputs keep the user's names
 * (d_vg_tape, d_malloc). */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

REAL names_library(REAL x, REAL vg_tape, REAL malloc, int n, REAL memcpy) {
  REAL y = 0;
  for (int i = 0; i < n; i++)
    y = y * vg_tape + cos(x + i * malloc) * memcpy;
  {
    REAL sin = cos(y * x);
    REAL tape = sin * sin;
    y += tape;
  }
  return y;
}
#pragma vgrad value_and_grad(names_library) argnums(0, 1, 2, 4)

#ifdef VG_DRIVER
#include "names_library.vg.h"
#include "fdcheck.h"

static REAL in_x = 0.4, in_t = 0.8, in_m = 0.3, in_c = 1.2;
static REAL loss(void) { return names_library(in_x, in_t, in_m, 5, in_c); }

int main(void) {
  REAL g_x = 0, g_t = 0, g_m = 0, g_c = 0;
  REAL v = names_library_value_and_grad(in_x, in_t, in_m, 5, in_c, &g_x, &g_t, &g_m, &g_c);
  fd_value("value", v, names_library(in_x, in_t, in_m, 5, in_c));
  fd_check("d_x", -1, &in_x, g_x, loss);
  fd_check("d_vg_tape", -1, &in_t, g_t, loss);
  fd_check("d_malloc", -1, &in_m, g_m, loss);
  fd_check("d_memcpy", -1, &in_c, g_c, loss);
  return fd_report("names_library");
}
#endif
