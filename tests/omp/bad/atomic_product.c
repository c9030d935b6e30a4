// expect: 9:1: error: '#pragma omp atomic' before 'p[i % 2] *= x[i]': vgradcc differentiates an atomic update only as 'x += e' or 'x -= e'
/* omp/bad/atomic_product: an atomic update that multiplies: its adjoint
 * would need the old value under the atomic; refused, saying what vgradcc
 * differentiates. */
double atomic_product(const double *x, int n) {
  double p[2] = {1, 1};
#pragma omp parallel for
  for (int i = 0; i < n; i++) {
#pragma omp atomic
    p[i % 2] *= x[i];
  }
  return p[0] + p[1];
}
#pragma vgrad value_and_grad(atomic_product)
