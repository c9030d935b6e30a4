/* jumps_nested: switch and goto combined: a switch nested in a case of
 * another, a switch on the value of a helper call, gotos out of a switch
 * and out of a while loop inside a do loop, a goto that skips the rest of a
 * loop body (a continue written with goto), a helper with an early goto
 * and a switch, inlined in the loop. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

static int pick(int m) { return m * 2 % 5; }

static REAL helper(REAL x, int m) {
  REAL r = x;
  if (m > 3)
    goto out;
  r = r * x;
  switch (m) {
  case 1:
    r += sin(x);
    /* fall through */
  case 2:
    r *= 2;
    break;
  default:
    goto out;
  }
  r += 1;
out:
  return r;
}

REAL jumps_nested(const REAL *x, int n, REAL a, int m) {
  REAL s = a;
  switch (m % 3) {
  case 0:
    switch (m) {
    case 0:
      s *= a;
      break;
    case 3:
      s += a * a;
      /* fall through */
    default:
      s -= 1;
    }
    /* fall through */
  case 1:
    s += 2 * a;
    break;
  case 2: {
    s *= 3;
    break;
  }
  }
  switch (pick(m)) {
  case 0:
    s += a;
    break;
  case 2:
    s -= a * a;
    break;
  case 4:
    s *= a;
  }
  for (int i = 0; i < n; i++) {
    if (x[i] < 0)
      goto next;
    s += sqrt(x[i] + 0.5);
    for (int j = 0; j < i; j++) {
      if (x[j] > 2)
        goto next;
      s += x[i] * x[j] * 0.1;
    }
    s *= 0.9;
  next:;
  }
  int k = 0;
  do {
    int kk = k;
    k++;
    switch ((kk + m) % 4) {
    case 0:
      s += a;
      continue;
    case 1:
      if (s > 3)
        goto leave;
      s *= 1.1;
      break;
    default:
      while (1) {
        s += 0.5 * x[kk % n];
        if (s > 0.5 * m)
          goto leave;
        if (s < -10)
          break;
      }
    }
    s += helper(x[kk % n] * a, m);
  } while (k < 6);
leave:
  return s * a;
}
#pragma vgrad value_and_grad(jumps_nested) argnums(0, 2)

#ifdef VG_DRIVER
#include "jumps_nested.vg.h"
#include "fdcheck.h"

static REAL in_x[4] = {0.5, -1.25, 2.5, 0.75}, in_a = 0.8;
static int in_n = 4, in_m = 0;
static REAL loss(void) { return jumps_nested(in_x, in_n, in_a, in_m); }

int main(void) {
  for (int m = 0; m < 7; m++) {
    in_m = m;
    for (int p = 0; p < 2; p++) {
      in_a = p ? -0.7 : 0.8;
      REAL d_x[4] = {0}, d_a = 0;
      REAL v = jumps_nested_value_and_grad(in_x, in_n, in_a, in_m, d_x, &d_a);
      fd_value("value", v, loss());
      fd_check_array("d_x", in_x, d_x, 4, loss);
      fd_check("d_a", m, &in_a, d_a, loss);
    }
  }
  return fd_report("jumps_nested");
}
#endif
