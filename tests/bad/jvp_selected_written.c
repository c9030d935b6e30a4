// expect: 8:19: error: the selected parameter 'w', which 'f' writes: not supported in jvp yet
/* A selected array the function updates in place. */
double f(double *w, int n) {
  for (int i = 0; i < n; i++)
    w[i] *= 2;
  return w[0];
}
#pragma vgrad jvp(f)
