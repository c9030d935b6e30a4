// expect: 7:3: error: checkpoint: the loop writes memory of 'y'
/* A checkpointed loop's state must be variables and fixed-size local
 * arrays: vgradcc cannot snapshot memory behind a pointer parameter. */
void f(const double *x, double *y, int n, double *err) {
  *err = 0;
#pragma vgrad checkpoint
  for (int i = 1; i < n; i++) {
    y[i] = y[i - 1] * x[i];
    *err += y[i];
  }
}
#pragma vgrad value_and_grad(f) argnames(x, y) loss(err)
