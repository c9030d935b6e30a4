// expect: 6:1: error: '#pragma omp parallel' without 'for' in code the gradient of 'parallel_region' runs is not supported with -fopenmp
/* A parallel region holding more than one loop under `omp for`: not the
 * split form of `parallel for` (omp/split_region), refused under -fopenmp. */
double parallel_region(const double *x, int n) {
  double s = 0, t = 0;
#pragma omp parallel
  {
#pragma omp for reduction(+: s)
    for (int i = 0; i < n; i++)
      s += x[i] * x[i];
#pragma omp for reduction(+: t)
    for (int i = 0; i < n; i++)
      t += x[i];
  }
  return s * t;
}
#pragma vgrad value_and_grad(parallel_region)
