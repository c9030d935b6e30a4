// expect: 8:10: error: call to 'rint', whose body is not in this file, with floating-point argument 'b * 4' is not supported; if no derivative flows through it
/* rint is the C library's, declared in <math.h> and not in vgradcc's math
 * table: its derivative is unknown, so the call is refused, naming the
 * way to say it is a constant (golden/nondiff does). */
#include <math.h>

double call_library_float(double b) {
  return rint(b * 4) * b;
}
#pragma vgrad value_and_grad(call_library_float)
