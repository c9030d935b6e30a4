// expect: 5:9: error: '#pragma vgrad value_and_grad' must stand at file scope, not inside function 'f'
/* value_and_grad and grad pragmas stand at file scope (design 1.1). */
double f(double x) {
  double y = x * x;
#pragma vgrad value_and_grad(f)
  return y;
}
