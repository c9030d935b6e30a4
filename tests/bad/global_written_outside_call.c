// expect: 10:3: error: the call to 'report', whose body is not in this file, may read or write the global 'running', which this function writes with values it differentiates; pass the value as an argument
/* A global average, differentiated through, and a function of another
 * file called in between that may change it. */
double running;
void report(int step);
double f(const double *x, int n) {
  running = 0;
  for (int i = 0; i < n; i++)
    running = 0.9 * running + 0.1 * x[i];
  report(n);
  return running * running;
}
#pragma vgrad value_and_grad(f) argnums(0)
