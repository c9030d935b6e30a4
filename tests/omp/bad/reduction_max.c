// expect: 7:1: error: the clause 'reduction(max: m)' of '#pragma omp parallel for' in code the gradient of 'largest' runs is not supported with -fopenmp
/* omp/bad/reduction_max: only reduction(+: ...) is differentiated in
 * parallel; reduction(max: m) is refused under -fopenmp. */
#include <math.h>
double largest(const double *x, int n) {
  double m = -1e300;
#pragma omp parallel for reduction(max: m)
  for (int i = 0; i < n; i++)
    m = fmax(m, x[i] * x[i]);
  return m;
}
#pragma vgrad value_and_grad(largest)
