// expect: 4:50: error: loss(x[0]): 'x' has type 'double', which is not a pointer or an array
/* loss(p[K]) needs p to be a pointer or an array. */
void f(double x, double *err) { *err = x * x; }
#pragma vgrad value_and_grad(f) argnums(0) loss(x[0])
