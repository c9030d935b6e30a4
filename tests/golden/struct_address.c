/* struct_address: the address of a struct variable passed to a helper
 * that takes a const pointer: &local for a struct local and &s.unit for a
 * member of a struct parameter passed by value. */
#include <math.h>

#include "struct_address.h"

/* u->w . x + u->b */
static REAL affine(const Unit *u, const REAL *x) {
  REAL s = u->b;
  for (int i = 0; i < 3; i++)
    s += u->w[i] * x[i];
  return s;
}

REAL struct_address(Stack s, const REAL *x) {
  Unit scaled;
  for (int i = 0; i < 3; i++)
    scaled.w[i] = s.unit.w[i] * s.scale;
  scaled.b = s.unit.b;
  REAL z = tanh(affine(&scaled, x));
  return z * affine(&s.unit, x);
}
#pragma vgrad value_and_grad(struct_address)

#ifdef VG_DRIVER
#include <string.h>

#include "struct_address.vg.h"
#include "fdcheck.h"

static Stack in_s = {{{0.4, -0.3, 0.25}, 0.1}, 1.2};
static REAL in_x[3] = {0.5, -1.0, 1.5};
static REAL loss(void) { return struct_address(in_s, in_x); }

int main(void) {
  Stack d_s;
  memset(&d_s, 0, sizeof d_s);
  REAL v = struct_address_value_and_grad(in_s, in_x, &d_s);
  fd_value("value", v, loss());
  fd_check_array("d_s.unit.w", in_s.unit.w, d_s.unit.w, 3, loss);
  fd_check("d_s.unit.b", -1, &in_s.unit.b, d_s.unit.b, loss);
  fd_check("d_s.scale", -1, &in_s.scale, d_s.scale, loss);
  return fd_report("struct_address");
}
#endif
