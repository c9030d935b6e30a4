/* local_struct_pointers: local structs whose pointer members point to
 * differentiated data, in the spellings C has: an initializer list
 * (`View v = {x, n}`) and a compound literal, a member set to calloc or
 * malloc in the loss (`s.data = malloc(...)`) and freed there, a whole
 * struct copied (`Buf t = s`), a pointer to a local struct (`Buf *p = &s`)
 * written through, and a const pointer member.  Each pointer member is
 * held in a variable of its own with its gradient buffer. */
#include <math.h>
#include <stdlib.h>

#ifndef REAL
#define REAL double
#endif

typedef struct {
  const REAL *w;
  int n;
} View;

typedef struct {
  int len;
  REAL *data;
  REAL scale;
} Buf;

static REAL view_dot(View a, View b) {
  REAL s = 0;
  for (int i = 0; i < a.n; i++)
    s += a.w[i] * b.w[i];
  return s;
}

static void buf_fill_sin(Buf *p, const REAL *x) {
  for (int i = 0; i < p->len; i++)
    p->data[i] = sin(x[i]) * p->scale;
}

REAL local_struct_pointers(const REAL *x, const REAL *y, int n) {
  View vx = {x, n};
  View vy = (View){y, n};
  REAL total = view_dot(vx, vy);
  if (n < 2 || n > 64)
    return total;
  Buf s;
  s.len = n;
  s.scale = x[0];
  s.data = calloc((size_t)n, sizeof(REAL));
  Buf *p = &s;
  buf_fill_sin(p, y);
  Buf t = s;
  t.data[0] += y[1];
  Buf u = {n, NULL, 1};
  u.data = malloc((size_t)n * sizeof(REAL));
  for (int i = 0; i < n; i++)
    u.data[i] = t.data[(i + 1) % n] * vx.w[i];
  for (int i = 0; i < u.len; i++)
    total += u.data[i] * s.data[i];
  free(u.data);
  free(s.data);
  return total;
}
#pragma vgrad value_and_grad(local_struct_pointers) argnums(0, 1)

#ifdef VG_DRIVER
#include "local_struct_pointers.vg.h"
#include "fdcheck.h"

static REAL in_x[4] = {0.3, -0.5, 0.8, 0.1}, in_y[4] = {0.7, 0.2, -0.4, 0.9};
static REAL loss(void) { return local_struct_pointers(in_x, in_y, 4); }

int main(void) {
  REAL d_x[4] = {0}, d_y[4] = {0};
  REAL value = local_struct_pointers_value_and_grad(in_x, in_y, 4, d_x, d_y);
  fd_value("value", value, loss());
  fd_check_array("d_x", in_x, d_x, 4, loss);
  fd_check_array("d_y", in_y, d_y, 4, loss);
  return fd_report("local_struct_pointers");
}
#endif
