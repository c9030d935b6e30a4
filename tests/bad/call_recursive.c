// expect: 5:21: error: the recursive function 'fill' writes through its parameter 'out': not supported yet (vgradcc differentiates a recursive function as a function of its own, which reads its arrays only); return the values, or write the recursion as a loop
/* A recursive function is differentiated as a forward and a reverse
 * function of its own; one that writes its caller's array is not yet
 * (golden/rec_linear, rec_tree, rec_scalar, rec_mutual: those that read). */
double fill(double *out, double x, int n) {
  if (n == 0)
    return 0;
  out[n - 1] = x * n;
  return x + fill(out, x, n - 1);
}

double loss(double x) {
  double buf[4];
  double s = fill(buf, x, 4);
  return s * buf[0] * buf[3];
}
#pragma vgrad value_and_grad(loss)
