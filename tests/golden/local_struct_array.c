/* local_struct_array: a struct type of this file used only by a local
 * array of it and a pointer into that array (the generated file must
 * define the type for them: it did not, and {0} for the array became
 * items[0] = 0). */
#ifndef REAL
#define REAL double
#endif

struct Item {
  REAL v[2];
  REAL w;
};

REAL local_struct_array(const REAL *x, int n) {
  struct Item items[3] = {0};
  for (int i = 0; i < n; i++) {
    struct Item *it = &items[i % 3];
    it->v[i % 2] += x[i] * x[i];
    it->w = it->v[0] * x[i] + it->w;
  }
  return items[0].w * items[1].v[1] + items[2].w;
}
#pragma vgrad value_and_grad(local_struct_array)

#ifdef VG_DRIVER
#include "local_struct_array.vg.h"
#include "fdcheck.h"

#define N 7
static REAL in_x[N] = {0.3, -0.4, 0.5, 0.2, -0.6, 0.45, 0.8};
static REAL loss(void) { return local_struct_array(in_x, N); }

int main(void) {
  REAL d_x[N] = {0};
  fd_value("value", local_struct_array_value_and_grad(in_x, N, d_x), loss());
  fd_check_array("d_x", in_x, d_x, N, loss);
  return fd_report("local_struct_array");
}
#endif
