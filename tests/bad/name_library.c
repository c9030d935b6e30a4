// expect: 8:9: error: the generated function 'malloc' would clash with 'malloc' of the C library or the vgrad runtime, which the generated file includes; choose another name with name(...)
/* name(...) picks a name that <stdlib.h>, which every generated file
 * includes, declares (so do sin, memcpy, exit, vg_tape ...): the input
 * does not include <stdlib.h>, so only the generated file would fail. */
double f(double x) {
  return x * x;
}
#pragma vgrad value_and_grad(f) name(malloc)
