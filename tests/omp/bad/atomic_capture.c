// expect: 8:1: error: '#pragma omp atomic capture' in code the gradient of 'atomic_capture' runs is not supported with -fopenmp
/* omp/bad/atomic_capture: an atomic capture (the update's old value kept)
 * in a parallel loop: vgradcc knows `atomic` updates `x += e` only. */
double atomic_capture(const double *x, int n, double *slots) {
  double s = 0, acc = 0;
#pragma omp parallel for reduction(+: s)
  for (int i = 0; i < n; i++) {
#pragma omp atomic capture
    { s += acc; acc += x[i]; }
  }
  (void)slots;
  return s;
}
#pragma vgrad value_and_grad(atomic_capture)
