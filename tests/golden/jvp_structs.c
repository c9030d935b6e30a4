/* jvp_structs: forward mode with structs: a struct parameter by value
 * (its tangent `const struct Layer *t_lay`) that the function overwrites
 * (a local copy of the tangent), a struct reached through a pointer
 * parameter, a helper returning a struct built from an initializer, whole
 * struct assignments, and a local array of structs. */
#include <math.h>

#include "jvp_structs.h"

static struct Layer scaled(struct Layer l, REAL s) {
  struct Layer r = {{l.w[0] * s, l.w[1] * s, l.w[2] * s}, l.bias + s, l.n};
  return r;
}

REAL jvp_structs(struct Layer lay, const struct Layer *other, const REAL *x, REAL s) {
  struct Layer steps[2];
  steps[0] = scaled(lay, s);
  steps[1] = scaled(*other, s * s);
  lay.bias = tanh(lay.bias + steps[1].bias);
  REAL acc = lay.bias;
  for (int k = 0; k < 2; k++)
    for (int i = 0; i < lay.n; i++)
      acc += steps[k].w[i] * x[i] + other->w[i] * sin(steps[k].bias);
  return acc;
}
#pragma vgrad jvp(jvp_structs) argnums(all)

#ifdef VG_DRIVER
#include "jvp_structs.vg.h"
#include "fdcheck.h"

static struct Layer in_lay = {{0.5, -0.3, 0.8}, 0.2, 3}, in_other = {{-0.6, 0.4, 0.1}, -0.5, 3};
static REAL in_x[3] = {0.7, -1.1, 0.4}, in_s = 0.9;
static struct Layer dir_lay = {{1.0, 0.3, -0.7}, 0.6, 0}, dir_other = {{0.2, -0.9, 0.5}, 0.4, 0};
static REAL dir_x[3] = {-0.3, 0.8, 0.6}, dir_s = -0.4;

static double along(REAL eps, int index) {
  (void)index;
  struct Layer lay = in_lay, other = in_other;
  REAL x[3];
  for (int i = 0; i < 3; i++) {
    lay.w[i] += eps * dir_lay.w[i];
    other.w[i] += eps * dir_other.w[i];
    x[i] = in_x[i] + eps * dir_x[i];
  }
  lay.bias += eps * dir_lay.bias;
  other.bias += eps * dir_other.bias;
  return jvp_structs(lay, &other, x, in_s + eps * dir_s);
}

int main(void) {
  REAL t_ret = -99;
  REAL v = jvp_structs_jvp(in_lay, &in_other, in_x, in_s, &dir_lay, &dir_other, dir_x, dir_s, &t_ret);
  fd_value("value", v, jvp_structs(in_lay, &in_other, in_x, in_s));
  fd_check_tangent("t_ret", -1, t_ret, along);
  return fd_report("jvp_structs");
}
#endif
