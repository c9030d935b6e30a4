// expect: 13:19: error: hvp(sq_sum): selected parameter 'z' is an array 'sq_sum' writes; the Hessian w.r.t. what it held before the call is not supported yet: copy the input into a parameter of its own
/* hvp selecting an array the function squares in place: jvp gives it one
 * tangent updated in place, which hvp's direction cannot be (refused). */
#include <math.h>
double sq_sum(int n, double z[n]) {
  double s = 0;
  for (int i = 0; i < n; i++) {
    z[i] = z[i] * z[i];
    s += z[i] * sin(z[i]);
  }
  return s;
}
#pragma vgrad hvp(sq_sum) argnums(1)
