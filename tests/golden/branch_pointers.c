/* branch_pointers: helpers with pointer parameters called inside the
 * branches of a loop body.  The inlined parameters (set once per iteration
 * from addresses that do not change) are redone at the start of each
 * branch's reverse instead of taped; `chosen`, set in both branches and read
 * after them, is still saved and restored. */
#ifndef REAL
#define REAL double
#endif

static REAL dot3(const REAL *a, const REAL *b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

static void scale3(const REAL *a, REAL f, REAL *out) {
  for (int i = 0; i < 3; i++)
    out[i] = a[i] * f;
}

REAL branch_pointers(const REAL *P, const REAL *q, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++) {
    const REAL *p = P + 3 * i;
    REAL t[3];
    const REAL *chosen;
    if (dot3(p, q) > 0) {
      scale3(p, q[0], t);
      chosen = t;
    } else {
      scale3(q, p[1], t);
      chosen = t + 1;
    }
    s += (chosen[0] * p[0] + chosen[1] * p[1]) * t[2];
  }
  return s;
}
#pragma vgrad value_and_grad(branch_pointers) argnums(0, 1)

#ifdef VG_DRIVER
#include "branch_pointers.vg.h"
#include "fdcheck.h"

/* four points: the first and third take the first branch, the others the second */
static REAL in_P[12] = {0.5, 0.25, -0.75, -0.6, 0.3, 0.9, 1.1, -0.4, 0.2, -0.8, -0.35, 0.45};
static REAL in_q[3] = {0.7, -0.45, 0.15};
static REAL loss(void) { return branch_pointers(in_P, in_q, 4); }

int main(void) {
  REAL d_P[12] = {0}, d_q[3] = {0};
  REAL v = branch_pointers_value_and_grad(in_P, in_q, 4, d_P, d_q);
  fd_value("value", v, loss());
  fd_check_array("d_P", in_P, d_P, 12, loss);
  fd_check_array("d_q", in_q, d_q, 3, loss);
  return fd_report("branch_pointers");
}
#endif
