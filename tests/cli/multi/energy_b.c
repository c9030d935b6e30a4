#include "shared.h"

REAL energy_b(REAL s, const REAL *x, int n) {
  REAL e = 0;
  for (int i = 0; i < n; i++)
    e += s * soft_clip(x[i] * s, (REAL)2);
  return e;
}
#pragma vgrad value_and_grad(energy_b) argnums(0, 1)
