// expect: 5:10: error: call through function pointer 'g' is not supported: 'g' is a parameter of 'apply', the differentiated function, and may be any function; call the function by name, or choose it with an int parameter from a static const table of the file's functions
/* A call through a function pointer that the differentiated function is
 * given: it may hold any function, whose body vgradcc cannot see. */
double apply(double x, double (*g)(double)) {
  return g(x) * x;
}
#pragma vgrad value_and_grad(apply)
