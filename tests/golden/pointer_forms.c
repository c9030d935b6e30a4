/* pointer_forms: the ways a parameter can point to floating data: const
 * pointer, non-const pointer (only read), and array syntax; elements read
 * with [], with * and with *(p + i). */
#ifndef REAL
#define REAL double
#endif

REAL pointer_forms(const REAL *a, REAL *b, REAL c[]) {
  REAL s = *a * b[0] + a[1] * c[2];
  s = s + *(b + 1) * *(c + 1) - c[0] / (2 + a[2] * a[2]);
  return s * b[1];
}
#pragma vgrad value_and_grad(pointer_forms) argnums(0, 1, 2)

#ifdef VG_DRIVER
#include "pointer_forms.vg.h"
#include "fdcheck.h"

static REAL in_a[3] = {0.5, -1.25, 0.75}, in_b[2] = {1.5, 0.25}, in_c[3] = {-0.5, 2.0, 1.125};
static REAL loss(void) { return pointer_forms(in_a, in_b, in_c); }

int main(void) {
  REAL d_a[3] = {0}, d_b[2] = {0}, d_c[3] = {0};
  REAL v = pointer_forms_value_and_grad(in_a, in_b, in_c, d_a, d_b, d_c);
  fd_value("value", v, pointer_forms(in_a, in_b, in_c));
  fd_check_array("d_a", in_a, d_a, 3, loss);
  fd_check_array("d_b", in_b, d_b, 2, loss);
  fd_check_array("d_c", in_c, d_c, 3, loss);
  /* The inputs are left as they were. */
  fd_same("b", 0, in_b[0], 1.5);
  fd_same("b", 1, in_b[1], 0.25);
  return fd_report("pointer_forms");
}
#endif
