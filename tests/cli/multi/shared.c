/* One helper of two losses in two files: `vgradcc energy_a.c energy_b.c shared.c`
 * inlines it into both generated files, which link together. */
#include <math.h>
#include "shared.h"

static REAL blend(REAL a, REAL b, REAL t) { return a + (b - a) * t; }

/* v clipped softly to (-c, c). */
REAL soft_clip(REAL v, REAL c) {
  REAL t = v / c;
  if (t > 0)
    return c * tanh(blend(t, t * t * t, (REAL)0.1));
  return c * tanh(t);
}
