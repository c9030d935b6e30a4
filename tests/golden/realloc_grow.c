/* realloc_grow: a buffer of values that depend on the inputs, grown by
 * doubling with realloc as it fills (`buf = realloc(buf, cap * sizeof
 * *buf)`, starting from NULL), then shrunk to its length, and a second
 * buffer realloc'd into another pointer.  The adjoint of what the old
 * block held is added back from the new block's. */
#include <math.h>
#include <stdlib.h>

#ifndef REAL
#define REAL double
#endif

REAL realloc_grow(const REAL *x, int n, REAL a) {
  if (n < 2)
    return 0;
  REAL *buf = NULL;
  int len = 0, cap = 0;
  for (int i = 0; i < 3 * n; i++) {
    if (len == cap) {
      cap = cap ? 2 * cap : 2;
      buf = realloc(buf, (size_t)cap * sizeof *buf);
    }
    REAL prev = len ? buf[len - 1] : a;
    buf[len++] = sin(prev + x[i % n]) * a;
  }
  buf = realloc(buf, (size_t)len * sizeof(REAL));
  REAL *head = malloc(4 * sizeof(REAL));
  for (int i = 0; i < 4; i++)
    head[i] = buf[i] * x[i % n];
  REAL *longer = realloc(head, 8 * sizeof(REAL));
  for (int i = 4; i < 8; i++)
    longer[i] = longer[i - 4] * buf[len - 1 - i];
  REAL s = 0;
  for (int i = 0; i < len; i++)
    s += buf[i] * buf[i];
  for (int i = 0; i < 8; i++)
    s += longer[i];
  free(longer);
  free(buf);
  return s;
}
#pragma vgrad value_and_grad(realloc_grow) argnums(0, 2)

#ifdef VG_DRIVER
#include "realloc_grow.vg.h"
#include "fdcheck.h"

static REAL in_x[4] = {0.3, -0.5, 0.8, 0.1}, in_a = 0.7;
static REAL loss(void) { return realloc_grow(in_x, 4, in_a); }

int main(void) {
  REAL d_x[4] = {0}, d_a = 0;
  REAL value = realloc_grow_value_and_grad(in_x, 4, in_a, d_x, &d_a);
  fd_value("value", value, loss());
  fd_check_array("d_x", in_x, d_x, 4, loss);
  fd_check("d_a", -1, &in_a, d_a, loss);
  return fd_report("realloc_grow");
}
#endif
