/* struct_init: struct initializers with inner braces, whose values go to
 * the members and elements they stand for: an array member ({{a, b}, c}),
 * an array of structs inside a struct, a compound literal assigned, a
 * partial initializer of an array member (the rest is zero), a local array
 * of structs, and {0} for an array of structs (all zero: it became
 * zeros[0] = 0, which did not compile).  Each value's adjoint comes from
 * its own member. */
#include <math.h>

#include "struct_init.h"

REAL struct_init(const REAL *x, REAL a) {
  State s = {{x[0], a * x[1]}, x[2]};
  Pair p = {{{{s.vel, x[0]}, a}, {{0.5, s.pos[1]}, x[1] * x[2]}}, a};
  State t;
  t = (State){{sin(x[1]), s.pos[0]}, p.st[1].vel};
  State u = {{x[2]}, 0};
  State many[2] = {{{x[0], x[1]}, a}, {{a * a, 0.5}, x[2]}};
  State zeros[2] = {0}; /* {0}: everything zero */
  zeros[1].vel = x[0] * a;
  return s.pos[0] * s.pos[1] + s.vel + p.st[0].pos[0] * p.st[0].pos[1] * p.st[0].vel +
         p.st[1].pos[1] * p.st[1].vel * p.scale + t.pos[0] * t.pos[1] * t.vel + u.pos[0] * u.pos[0] + u.pos[1] +
         many[0].pos[1] * many[1].pos[0] * many[1].vel + zeros[1].vel * (zeros[0].vel + 1);
}
#pragma vgrad value_and_grad(struct_init) argnums(0, 1)

#ifdef VG_DRIVER
#include "struct_init.vg.h"
#include "fdcheck.h"

static REAL in_x[3] = {0.4, -0.7, 1.1}, in_a = 0.6;
static REAL loss(void) { return struct_init(in_x, in_a); }

int main(void) {
  REAL d_x[3] = {0}, d_a = 0;
  fd_value("value", struct_init_value_and_grad(in_x, in_a, d_x, &d_a), loss());
  fd_check_array("d_x", in_x, d_x, 3, loss);
  fd_check("d_a", -1, &in_a, d_a, loss);
  return fd_report("struct_init");
}
#endif
