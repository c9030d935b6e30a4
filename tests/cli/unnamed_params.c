/* C23 lets a definition leave a parameter unnamed.  The generated code is
 * C99, so vgradcc names such a parameter argN (N as in argnums) and its
 * gradient output d_argN; the loss cannot read it, so that gradient is 0.
 * Built by tests/run.sh (cli/unnamed-params): vgradcc -std=c23, the
 * generated file as C99, this driver as C2x. */
#include <math.h>

double unnamed(double x, double, int, double y)
{
    return sin(x) * y + x * x;
}
#pragma vgrad value_and_grad(unnamed) argnums(all)

#ifdef VG_DRIVER
#include "unnamed_params.vg.h"
#include "fdcheck.h"

static double in_x = 0.6, in_y = -1.1, in_unused = 2.5;
static double loss(void) { return unnamed(in_x, in_unused, 3, in_y); }

int main(void) {
  double g_x = 0, g_unused = 0, g_y = 0;
  double v = unnamed_value_and_grad(in_x, in_unused, 3, in_y, &g_x, &g_unused, &g_y);
  fd_value("value", v, loss());
  fd_check("d_x", -1, &in_x, g_x, loss);
  fd_check("d_arg1", -1, &in_unused, g_unused, loss);
  fd_check("d_y", -1, &in_y, g_y, loss);
  return fd_report("unnamed_params");
}
#endif
