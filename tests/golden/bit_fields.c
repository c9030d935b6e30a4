/* bit_fields: a struct with bit-fields, defined in the input file, which
 * the generated header declares again: with their widths, so its layout
 * is the input's (without them the three fields below took 12 bytes
 * instead of 4 and `v` moved, and the gradient's d_s.v landed in the
 * wrong place).  A bit-field the function writes is restored through its
 * struct: the caller's memory is kept from `&*s` on, a bit-field having no
 * address. */
#ifndef REAL
#define REAL double
#endif
#include <math.h>

typedef struct {
  REAL w;
  int steps : 4, mode : 4;
  int sign : 4;
  REAL v;
} Packed;

REAL packed_step(Packed *s, const REAL *x, int n) {
  REAL acc = 0;
  for (int i = 0; i < n; i++) {
    s->steps = s->steps + 1;
    acc += s->w * x[i] * s->steps + s->v * s->sign * x[i];
    s->w = s->w * (REAL)0.5 + x[i] * s->v;
  }
  return acc + s->mode * s->v;
}
#pragma vgrad value_and_grad(packed_step) argnums(0, 1)

#ifdef VG_DRIVER
#include "fdcheck.h"

/* declared here rather than from bit_fields.vg.h, whose own Packed would
 * clash with the one above: this file's layout meets the generated one */
REAL packed_step_value_and_grad(Packed *s, const REAL *x, int n, Packed *d_s, REAL *d_x);

#define N 3
static REAL in_x[N] = {0.3, -0.4, 0.5};
static Packed in_s = {0.8, 2, 3, -1, 0.6}, work;
static REAL loss(void) {
  work = in_s;
  return packed_step(&work, in_x, N);
}

int main(void) {
  Packed s = in_s, d_s = {0, 0, 0, 0, 0};
  REAL d_x[N] = {0};
  REAL v = packed_step_value_and_grad(&s, in_x, N, &d_s, d_x);
  fd_value("value", v, loss());
  fd_same("steps after", -1, s.steps, work.steps);
  fd_same("mode after", -1, s.mode, work.mode);
  fd_same("sign after", -1, s.sign, work.sign);
  fd_value("w after", s.w, work.w);
  fd_check("d_s.w", -1, &in_s.w, d_s.w, loss);
  fd_check("d_s.v", -1, &in_s.v, d_s.v, loss);
  fd_check_array("d_x", in_x, d_x, N, loss);
  return fd_report("bit_fields");
}
#endif
