/* unity_include: the loss's file includes another .c file (a unity
 * build: parts/unity_part.c, its struct Lin and helpers lin and soft).
 * The generated files included it again, defining Lin twice (a .vg.c that
 * does not compile); they now define the struct themselves, as for a
 * struct of the input's own, and include no .c file.  The driver checks
 * value and gradient against central differences, double and float,
 * with tests/fdcheck.h's tolerances. */
#include "parts/unity_part.c"

REAL unity_loss(Lin l, const REAL *x, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += soft(lin(&l, x[i])) * x[i];
  return s;
}
#pragma vgrad value_and_grad(unity_loss) argnums(0, 1)

#ifdef VG_DRIVER
#include "fdcheck.h"
/* unity_include.vg.h defines Lin too (it cannot include a .c file), so
 * this file, which has it from parts/unity_part.c, declares the generated
 * function itself; header/unity_include compiles the header alone */
REAL unity_loss_value_and_grad(Lin l, const REAL *x, int n, Lin *d_l, REAL *d_x);

static Lin in_l = {0.7, -0.3};
static REAL in_x[3] = {0.5, -1.2, 0.9};
static REAL loss(void) { return unity_loss(in_l, in_x, 3); }

int main(void) {
  Lin d_l = {0, 0};
  REAL d_x[3] = {0};
  fd_value("unity_loss", unity_loss_value_and_grad(in_l, in_x, 3, &d_l, d_x), loss());
  fd_check("unity_loss d_l.w", 0, &in_l.w, d_l.w, loss);
  fd_check("unity_loss d_l.b", 0, &in_l.b, d_l.b, loss);
  fd_check_array("unity_loss d_x", in_x, d_x, 3, loss);
  return fd_report("unity_include");
}
#endif
