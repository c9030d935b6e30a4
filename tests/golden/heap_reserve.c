/* heap_reserve: a buffer read (the reads taped where read) before any
 * control flow, then updated in a loop; the tape's first reservation sits
 * in the run of declarations, so it must come after the tape's own
 * (random-findings 12: `tape` used before it was declared).  Spellings of
 * the update: *= and /= (the reads taped where read), w = w * e (not:
 * the array restored instead); counting down and up; calloc, malloc and a
 * local array. */
#include <math.h>
#include <stdlib.h>

#ifndef REAL
#define REAL double
#endif

/* The reduced random program: a calloc'd buffer (all zero, so a zero
 * gradient, still checked), *= in a loop counting down. */
REAL zeroed(const REAL *x, int n) {
  REAL *w = calloc(16, sizeof(REAL));
  REAL acc = atan(w[0] - w[1]);
  for (int i = n - 1; i >= 0; i--)
    w[(i + 1) % n] *= 0.9 + 0.1 * tanh(x[2]);
  REAL r = acc + w[n - 1];
  free(w);
  return r;
}
#pragma vgrad value_and_grad(zeroed)

/* calloc'd, filled without a loop, *= counting down. */
REAL scaled(const REAL *x, int n) {
  REAL *w = calloc(8, sizeof(REAL));
  w[0] = x[0] * x[1];
  w[1] = sin(x[1]);
  w[2] = x[2];
  w[3] = x[3] * x[0];
  REAL acc = atan(w[0] - w[1]);
  for (int i = n - 1; i >= 0; i--)
    w[(i + 1) % n] *= 0.9 + 0.1 * tanh(x[i]);
  REAL r = acc * w[n - 1] + w[0] * w[2];
  free(w);
  return r;
}
#pragma vgrad value_and_grad(scaled)

/* malloc'd, /= counting up. */
REAL divided(const REAL *x, int n) {
  REAL *w = malloc((size_t)n * sizeof(REAL));
  w[0] = exp(x[0]);
  w[1] = x[1] + x[2];
  w[2] = x[2] * x[3];
  w[3] = cos(x[3]);
  REAL acc = w[0] * w[1] + w[2] * w[3];
  for (int i = 0; i < n; i++)
    w[(i + 2) % n] /= 1.5 + x[i] * x[i];
  REAL r = acc + w[0] * w[3] + w[1] + w[2];
  free(w);
  return r;
}
#pragma vgrad value_and_grad(divided)

/* malloc'd, w = w * e counting up: for contrast, this spelling has the
 * loop tape the old values and the reverse sweep restore them, so the
 * reads before the loop are not taped (the first reservation is the
 * loop's). */
REAL product(const REAL *x, int n) {
  REAL *w = malloc((size_t)n * sizeof(REAL));
  w[0] = x[0] - x[3];
  w[1] = x[1] * x[2];
  w[2] = tanh(x[2]);
  w[3] = x[3];
  REAL acc = sqrt(1 + w[0] * w[0]) * w[1];
  for (int i = 0; i < n; i++)
    w[(i + 3) % n] = w[(i + 3) % n] * (1.2 + cos(x[i]));
  REAL r = acc * w[2] + w[0] * w[1] + w[3];
  free(w);
  return r;
}
#pragma vgrad value_and_grad(product)

/* A local array, w = w * e counting up: restored as in product. */
REAL local(const REAL *x, int n) {
  REAL w[4] = {x[0], x[1] * x[2], x[2], x[3] + x[0]};
  REAL acc = log(1 + w[0] * w[0]) + w[1] * w[2];
  for (int i = 0; i < n; i++)
    w[(3 * i + 1) % n] = w[(3 * i + 1) % n] * (1 + 0.5 * sin(x[i]));
  return acc * w[1] + w[0] * w[3] - w[2];
}
#pragma vgrad value_and_grad(local)

#ifdef VG_DRIVER
#include "heap_reserve.vg.h"
#include "fdcheck.h"

static REAL in_x[4] = {0.4, -0.7, 0.9, 0.3};
static REAL loss_zeroed(void) { return zeroed(in_x, 4); }
static REAL loss_scaled(void) { return scaled(in_x, 4); }
static REAL loss_divided(void) { return divided(in_x, 4); }
static REAL loss_product(void) { return product(in_x, 4); }
static REAL loss_local(void) { return local(in_x, 4); }

int main(void) {
  REAL d_x[4] = {0};
  fd_value("zeroed", zeroed_value_and_grad(in_x, 4, d_x), loss_zeroed());
  fd_check_array("zeroed d_x", in_x, d_x, 4, loss_zeroed);
  REAL d_s[4] = {0};
  fd_value("scaled", scaled_value_and_grad(in_x, 4, d_s), loss_scaled());
  fd_check_array("scaled d_x", in_x, d_s, 4, loss_scaled);
  REAL d_d[4] = {0};
  fd_value("divided", divided_value_and_grad(in_x, 4, d_d), loss_divided());
  fd_check_array("divided d_x", in_x, d_d, 4, loss_divided);
  REAL d_p[4] = {0};
  fd_value("product", product_value_and_grad(in_x, 4, d_p), loss_product());
  fd_check_array("product d_x", in_x, d_p, 4, loss_product);
  REAL d_l[4] = {0};
  fd_value("local", local_value_and_grad(in_x, 4, d_l), loss_local());
  fd_check_array("local d_x", in_x, d_l, 4, loss_local);
  return fd_report("heap_reserve");
}
#endif
