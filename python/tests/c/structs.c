/* Structs by value and by pointer, an array of structs, a
 * struct returned with auxiliary members, an output through a pointer, a
 * struct holding a pointer to its weights. */
#include <math.h>
#include "shapes.h"

Result fit(struct affine a, const struct affine *prior, const REAL *x, const REAL *y, REAL *pred, int n) {
  REAL f = 0;
  for (int i = 0; i < n; i++) {
    REAL p_i = a.scale * x[2 * i] + a.shift[0] * x[2 * i + 1] + a.shift[1];
    pred[i] = p_i;
    REAL r = p_i - y[i];
    f += r * r;
  }
  REAL p = (a.scale - prior->scale) * (a.scale - prior->scale);
  for (int j = 0; j < 2; j++)
    p += (a.shift[j] - prior->shift[j]) * (a.shift[j] - prior->shift[j]);
  Result out = {f / n + PENALTY_WEIGHT * p, f / n, p, n};
  return out;
}
#pragma vgrad value_and_grad(fit) argnums(0, 1, 2)

/* an array of structs (m of them) through a pointer */
REAL spread(const struct affine *set, int m, REAL t) {
  REAL s = 0;
  for (int k = 0; k < m; k++)
    s += sin(set[k].scale * t) + set[k].shift[0] * set[k].shift[1] * t;
  return s;
}
#pragma vgrad value_and_grad(spread) argnums(0, 2)

REAL rows_loss(REAL **rows, const REAL *w, int m, int d) {
  REAL s = 0;
  for (int i = 0; i < m; i++)
    for (int j = 0; j < d; j++)
      s += exp(0.1 * rows[i][j] * w[j]);
  return s;
}
#pragma vgrad grad(rows_loss) argnums(0, 1)

/* a struct with a pointer member: its gradient a struct of the same type
 * whose w points at a gradient buffer (design 1.7) */
REAL model_loss(const Model *m, const REAL *x) {
  REAL s = 0;
  for (int i = 0; i < m->n; i++)
    s += m->scale * m->w[i] * m->w[i] * x[i] + sin(m->w[i] * x[i]);
  return s;
}
#pragma vgrad value_and_grad(model_loss) argnums(0, 1)
