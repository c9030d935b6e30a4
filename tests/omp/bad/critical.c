// expect: 11:1: error: '#pragma omp critical' in code the gradient of 'running_max' runs is not supported with -fopenmp
/* omp/bad/critical: a critical section inside a parallel loop of a
 * differentiated function; under -fopenmp vgradcc refuses it (its
 * adjoint would need a critical section of its own). */
double running_max(const double *x, int n) {
  double m = x[0];
#pragma omp parallel for
  for (int i = 0; i < n; i++) {
    double v = x[i] * x[i];
    if (v > m)
#pragma omp critical
      m = v;
  }
  return m;
}
#pragma vgrad value_and_grad(running_max)
