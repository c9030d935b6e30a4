/* loss(E) clauses: a void function leaving its loss in *err, and one that
 * returns its largest input and leaves its loss in *total. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

void objective(const REAL *w, int n, REAL *err) {
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += cos(w[i]) * w[i];
  *err = s;
}
#pragma vgrad value_and_grad(objective) loss(err)

REAL summarize(const REAL *w, int n, REAL *total) {
  REAL peak = w[0];
  total[0] = 0;
  for (int i = 0; i < n; i++) {
    total[0] += w[i] * w[i];
    if (w[i] > peak)
      peak = w[i];
  }
  return peak;
}
#pragma vgrad value_and_grad(summarize) loss(total)
