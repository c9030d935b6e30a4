/* float_piecewise: a float-typed function calling the float variants of
 * the piecewise math.h functions, with casts from float to double and
 * back. */
#include <math.h>

float float_piecewise(float x, float y) {
  float a = fabsf(x) * y + fminf(x, y) + fmaxf(x * x, y);
  float b = floorf(x * 2) * y + ceilf(y) * x + roundf(x * y) + truncf(3 * y - x) * x;
  float c = fmodf(x * 5, y) + fmodf(7.5f, x);
  double wide = (double)x * y;
  float narrow = (float)(wide * wide);
  return a * b + c + narrow + (float)sin(wide);
}
#pragma vgrad value_and_grad(float_piecewise) argnums(0, 1)

#ifdef VG_DRIVER
#include "float_piecewise.vg.h"
#undef REAL
#define REAL float /* this case is float whatever REAL says */
#include "fdcheck.h"

static float in_x = 0.65f, in_y = 1.35f;
static float loss(void) { return float_piecewise(in_x, in_y); }

int main(void) {
  float d_x = 0, d_y = 0;
  float v = float_piecewise_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("value", v, float_piecewise(in_x, in_y));
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);
  return fd_report("float_piecewise");
}
#endif
