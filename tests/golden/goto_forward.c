/* goto_forward: forward gotos as numerical C writes them: a search that
 * leaves two nested loops when it finds its pair, a clean-up label at the
 * end of the function that the early exits share (`goto done`), and a
 * forward goto within one block. */
#include <math.h>
#include <stdlib.h>

#ifndef REAL
#define REAL double
#endif

REAL goto_forward(const REAL *x, int n, REAL a) {
  REAL s = 0;
  REAL *buf = NULL;
  if (n <= 0)
    goto done;
  buf = malloc((size_t)n * sizeof(REAL));
  if (!buf)
    goto done;
  for (int i = 0; i < n; i++)
    buf[i] = x[i] * a;
  int fi = 0, fj = 0;
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++)
      if (buf[i] * buf[j] > 1.0) {
        fi = i;
        fj = j;
        goto found;
      }
  s = -a * buf[0]; /* no pair */
  goto done;
found:
  s = buf[fi] * buf[fj] + fi - fj;
  {
    s = s * a;
    if (s > 2)
      goto halve;
    s += sin(a);
  halve:
    s *= 0.5;
  }
  s += x[n - 1];
done:
  free(buf);
  return s;
}
#pragma vgrad value_and_grad(goto_forward) argnums(0, 2)

#ifdef VG_DRIVER
#include "goto_forward.vg.h"
#include "fdcheck.h"

static REAL in_x[5] = {0.5, -1.5, 2.0, 0.25, 0.75}, in_a = 1.3;
static int in_n = 5;
static REAL loss(void) { return goto_forward(in_x, in_n, in_a); }

int main(void) {
  /* a pair found (s not above 2, then above), no pair, and n = 0 */
  static const struct {
    int n;
    REAL a, x2;
  } points[] = {{5, 1.3, 2.0}, {5, 2.0, 2.0}, {5, 0.9, 1.4}, {3, 0.6, 0.5}, {0, 1.1, 2.0}};
  for (int p = 0; p < (int)(sizeof points / sizeof *points); p++) {
    in_n = points[p].n;
    in_a = points[p].a;
    in_x[2] = points[p].x2;
    REAL d_x[5] = {0}, d_a = 0;
    REAL v = goto_forward_value_and_grad(in_x, in_n, in_a, d_x, &d_a);
    fd_value("value", v, loss());
    fd_check_array("d_x", in_x, d_x, 5, loss);
    fd_check("d_a", p, &in_a, d_a, loss);
  }
  return fd_report("goto_forward");
}
#endif
