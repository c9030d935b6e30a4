// expect: 8:1: error: '#pragma omp task' in code the gradient of 'tasks' runs is not supported with -fopenmp
/* omp/bad/task: OpenMP tasks in a differentiated function are refused
 * under -fopenmp. */
double tasks(const double *x, int n) {
  double s = 0;
  for (int i = 0; i < n; i++) {
    double *si = &s;
#pragma omp task
    *si += x[i] * x[i];
  }
  return s;
}
#pragma vgrad value_and_grad(tasks)
