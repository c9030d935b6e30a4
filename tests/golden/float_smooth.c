/* float_smooth: a float-typed function (whatever REAL is) calling the float
 * variants of the smooth math.h functions. */
#include <math.h>

float float_smooth(float x, float y) {
  float a = sinf(x) * cosf(y) + tanf(x * y) + asinf(x / 2) + acosf(y / 3) + atanf(x - y) + atan2f(y, x);
  float b = sinhf(x) + coshf(y) * tanhf(x - y) + expf(-x * y) + exp2f(y) + expm1f(x / 3);
  float c = logf(x) + log2f(y) + log10f(x * y) + log1pf(x / y) + sqrtf(x + y) + cbrtf(x - 3 * y);
  float d = powf(x, y) + powf(y, 3.0f) + hypotf(x, y - 1) + erff(x - y);
  return a * b + c * d;
}
#pragma vgrad value_and_grad(float_smooth) argnums(0, 1)

#ifdef VG_DRIVER
#include "float_smooth.vg.h"
#undef REAL
#define REAL float /* this case is float whatever REAL says */
#include "fdcheck.h"

static float in_x = 0.7f, in_y = 1.2f;
static float loss(void) { return float_smooth(in_x, in_y); }

int main(void) {
  float d_x = 0, d_y = 0;
  float v = float_smooth_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("value", v, float_smooth(in_x, in_y));
  fd_check("d_x", -1, &in_x, d_x, loss);
  fd_check("d_y", -1, &in_y, d_y, loss);
  return fd_report("float_smooth");
}
#endif
