// expect: 4:61: error: call through function pointer 'f' is not supported: 'g' is a parameter of 'use', the differentiated function, and may be any function
/* A helper calls the pointer it is given, which is a parameter of the
 * differentiated function: the message names both. */
static double twice(double (*f)(double), double x) { return f(f(x)); }
double use(double (*g)(double), double x) { return twice(g, x); }
#pragma vgrad value_and_grad(use) argnums(1)
