// expect: 9:3: error: 'memset' of 'acc' (double data) with the byte '1' is not supported: only 0 gives a number; assign the value to each element in a loop
/* memset of a double array to a byte other than 0: its bytes make no
 * number worth differentiating (memset(acc, 0, sizeof acc) is supported:
 * golden/mem_copies). */
#include <string.h>

double f(const double *x, int n) {
  double acc[4];
  memset(acc, 1, sizeof acc);
  for (int i = 0; i < n; i++)
    acc[i % 4] += x[i] * x[i];
  return acc[0] + acc[1] * acc[2];
}
#pragma vgrad value_and_grad(f)
