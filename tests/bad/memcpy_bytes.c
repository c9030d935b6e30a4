// expect: 9:21: error: 'memcpy' of 'prev': cannot tell how many double elements '32' bytes are; write the size as COUNT * sizeof(double) or COUNT * sizeof *prev
/* memcpy of doubles whose size is a number of bytes written out: vgradcc
 * copies elements, and only a size spelled with sizeof says how many. */
#include <string.h>

double f(const double *x) {
  double prev[4], s = 0;
  for (int r = 0; r < 2; r++) {
    memcpy(prev, x, 32);
    for (int i = 0; i < 4; i++)
      s += prev[i] * x[i] * r;
  }
  return s;
}
#pragma vgrad value_and_grad(f)
