#include "shared.h"

REAL energy_a(const REAL *x, int n) {
  REAL e = 0;
  for (int i = 0; i + 1 < n; i++) {
    REAL d = soft_clip(x[i + 1] - x[i], (REAL)1.5);
    e += d * d;
  }
  return e;
}
#pragma vgrad grad(energy_a)
