// expect: 7:1: error: the clause 'lastprivate(t)' of '#pragma omp parallel for' in code the gradient of 'last_square' runs is not supported with -fopenmp
/* omp/bad/lastprivate: lastprivate(t) on a parallel loop of a
 * differentiated function is refused under -fopenmp (the gradient would
 * need the last iteration's thread). */
double last_square(const double *x, int n) {
  double t = 0;
#pragma omp parallel for lastprivate(t)
  for (int i = 0; i < n; i++)
    t = x[i] * x[i];
  return t;
}
#pragma vgrad value_and_grad(last_square)
