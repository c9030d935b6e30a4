// expect: 6:56: error: controlling expression type 'int' not compatible with any generic association type
/* vg_stop_gradient takes a double, a float or a vg_array *: an int is a
 * compile error, which vgradcc reports as clang does. */
#include "../../runtime/vgrad.h"

double stop_gradient_int(double x, int n) { return x * vg_stop_gradient(n); }
#pragma vgrad value_and_grad(stop_gradient_int)
