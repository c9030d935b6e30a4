/* golden/header_inline: helpers a header defines, as libraries write them. */
#ifndef HEADER_INLINE_H
#define HEADER_INLINE_H

#include <math.h>

#ifndef REAL
#define REAL double
#endif

static inline REAL hi_softplus(REAL t) { return log1p(exp(-fabs(t))) + (t > 0 ? t : 0); }

static inline REAL hi_dot(const REAL *a, const REAL *b, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += a[i] * b[i];
  return s;
}

/* Called with integers only: inlined too, its value used as it is. */
static inline int hi_clamp_index(int i, int n) { return i < 0 ? 0 : i >= n ? n - 1 : i; }

#endif
