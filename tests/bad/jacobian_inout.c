// expect: 9:24: error: jacobian(axpy_sq): 'y' is both in argnames(...) and in outputs(...)
/* A Jacobian of an array the function updates in place, w.r.t. what it
 * held before: refused, saying what to write. */
#include <math.h>
void axpy_sq(int n, double a, const double *x, double y[n]) {
  for (int i = 0; i < n; i++)
    y[i] = 0.5 * y[i] * y[i] + a * sin(x[i]);
}
#pragma vgrad jacobian(axpy_sq) argnames(y[n], x[n]) outputs(y[n]) mode(fwd)
