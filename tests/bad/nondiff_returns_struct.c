// expect: 9:50: error: 'split', named by nondiff(split), returns 'Pair': nondiff is supported for functions that return a number or nothing; return the value, o
/* A nondiff function must return a number (or nothing). */
typedef struct {
  double a, b;
} Pair;
Pair split(double v);
#pragma vgrad nondiff(split)

double nondiff_returns_struct(double x) { return split(x).a * x; }
#pragma vgrad value_and_grad(nondiff_returns_struct)
