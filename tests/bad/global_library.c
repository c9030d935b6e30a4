// expect: 6:8: error: the global 'y1', which 'f' reads, has the name of a declaration of <math.h>, <stdio.h>, <stdlib.h>, <string.h> or the vgrad runtime, which the generated file includes; rename the global
/* A global the loss reads is declared `extern` in the generated file,
 * which includes <math.h>: glibc's declares a function y1 (Bessel).  The
 * input itself does not include <math.h>, so it compiles; the generated
 * file would not. */
double y1 = 2.0;
double f(double x) {
  return x * y1;
}
#pragma vgrad value_and_grad(f)
