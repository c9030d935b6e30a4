/* struct_mixed: a struct passed by value that mixes a floating member and
 * an int member, in a void function whose loss is left in *err
 * (loss(err)).  The gradient output is a Wishart: gamma gets a derivative;
 * the int member m is only read, and d_wishart->m is left as it is. */
#include <math.h>

#include "struct_mixed.h"

void struct_mixed(int d, const REAL *x, Wishart wishart, REAL *err) {
  int dof = d + wishart.m + 1;
  REAL frobenius = 0;
  for (int i = 0; i < d; i++)
    frobenius += exp(2 * x[i]);
  REAL c = dof * d * (log(wishart.gamma) - 0.5 * log(2.0));
  *err = 0.5 * wishart.gamma * wishart.gamma * frobenius - wishart.m * x[0] - c;
}
#pragma vgrad value_and_grad(struct_mixed) argnames(x, wishart) loss(err)

#ifdef VG_DRIVER
#include <string.h>

#include "struct_mixed.vg.h"
#include "fdcheck.h"

static REAL in_x[3] = {0.3, -0.4, 0.15};
static Wishart in_wishart = {1.25, 2};
static REAL loss(void) {
  REAL e;
  struct_mixed(3, in_x, in_wishart, &e);
  return e;
}

int main(void) {
  REAL err = 0, d_x[3] = {0};
  Wishart d_wishart;
  memset(&d_wishart, 0, sizeof d_wishart);
  struct_mixed_value_and_grad(3, in_x, in_wishart, &err, d_x, &d_wishart);
  fd_value("*err", err, loss());
  fd_check_array("d_x", in_x, d_x, 3, loss);
  fd_check("d_wishart.gamma", -1, &in_wishart.gamma, d_wishart.gamma, loss);
  fd_same("d_wishart.m", -1, d_wishart.m, 0);
  return fd_report("struct_mixed");
}
#endif
