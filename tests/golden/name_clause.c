/* name_clause: name(ident) chooses the generated function's name. */
#ifndef REAL
#define REAL double
#endif

REAL name_clause(REAL x, REAL y) {
  return (x - y) * (x - y) + x * y;
}
#pragma vgrad value_and_grad(name_clause) argnums(0, 1) name(loss_and_gradient)

#ifdef VG_DRIVER
#include "name_clause.vg.h"
#include "fdcheck.h"

static REAL in_x = 0.5, in_y = 2.25;
static REAL loss(void) { return name_clause(in_x, in_y); }

int main(void) {
  REAL d_x = 0, d_y = 0;
  REAL v = loss_and_gradient(in_x, in_y, &d_x, &d_y);
  fd_value("value", v, name_clause(in_x, in_y));
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);
  return fd_report("name_clause");
}
#endif
