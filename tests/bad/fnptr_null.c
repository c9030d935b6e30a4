// expect: 5:10: error: call through function pointer 'f', which holds no function (a null pointer)
/* A call through a pointer that is only ever null. */
double layer(const double *w, double x) {
  double (*f)(double) = 0;
  return f(w[0] * x);
}
#pragma vgrad value_and_grad(layer)
