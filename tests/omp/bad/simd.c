// expect: 7:1: error: the clause 'simd' of '#pragma omp parallel for' in code the gradient of 'sum_squares' runs is not supported with -fopenmp
/* omp/bad/simd: `parallel for simd` in a differentiated function is
 * refused under -fopenmp (only `parallel for` loops are differentiated
 * in parallel). */
double sum_squares(const double *x, int n) {
  double s = 0;
#pragma omp parallel for simd reduction(+: s)
  for (int i = 0; i < n; i++)
    s += x[i] * x[i];
  return s;
}
#pragma vgrad value_and_grad(sum_squares)
