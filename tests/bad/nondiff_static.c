// expect: 5:23: error: nondiff(weight): 'weight' is static, so the generated file, which calls it, cannot reach it; remove 'static', or make it 'static inline'
/* A static nondiff function is called by the generated file, which is
 * another translation unit and cannot reach it. */
static double weight(double v) { return 1 / (1 + v * v); }
#pragma vgrad nondiff(weight)

double nondiff_static(double x) { return weight(x) * x; }
#pragma vgrad value_and_grad(nondiff_static)
