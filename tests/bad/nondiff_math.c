// expect: 5:23: error: nondiff(tanh): 'tanh' is differentiated by vgradcc; for a constant value of it write vg_stop_gradient(tanh(...))
/* A math function vgradcc differentiates cannot be nondiff: a constant
 * value of it is vg_stop_gradient(tanh(x)). */
#include <math.h>
#pragma vgrad nondiff(tanh)

double nondiff_math(double x) { return tanh(x) * x; }
#pragma vgrad value_and_grad(nondiff_math)
