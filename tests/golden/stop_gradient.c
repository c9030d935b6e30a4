/* stop_gradient: vg_stop_gradient(e) is e in value and a constant of the
 * derivative: nothing flows back through it into e.  Used in a loop (a
 * normaliser held constant), in an inlined helper, in a checkpointed loop
 * (the running value's stopped copy), and as the straight-through trick
 * s - stop(s), whose value is 0 and whose derivative is that of s.  In
 * sg_product the result is checked against the derivative by hand:
 * d/dx x * stop(x * y) = x * y and d/dy = 0 (x * x had the derivative
 * flowed through).  FD f64/f32, where the driver's finite differences
 * hold every stopped value at the point checked (see sg_frozen). */
#include "../../runtime/vgrad.h"
#ifndef REAL
#define REAL double
#endif

#ifdef VG_DRIVER
/* The driver compiles the functions below with vg_stop_gradient(e) as
 * sg_frozen(e) (the generated file keeps the real one): at the point
 * checked it records each value e takes, in order; while fd_check moves
 * an input (sg_replay) it gives those values back instead of e's new
 * ones, so the difference quotient sees them as constants.  A derivative
 * that flowed through vg_stop_gradient would differ from it. */
static int sg_replay, sg_count;
static REAL sg_values[64];
static REAL sg_frozen(REAL e) {
  if (sg_count >= 64)
    return e; /* more calls than recorded: the check fails below */
  if (!sg_replay)
    sg_values[sg_count] = e;
  return sg_values[sg_count++];
}
#undef vg_stop_gradient
#define vg_stop_gradient(e) sg_frozen(e)
#endif

REAL sg_product(REAL x, REAL y) { return x * vg_stop_gradient(x * y); }
#pragma vgrad value_and_grad(sg_product) argnums(0, 1)

static REAL shrink(REAL a, REAL b) { return a * vg_stop_gradient(a * b) / (2 + b * b); }

REAL stop_gradient(const REAL *w, REAL b, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += w[i] * w[i] / (1 + vg_stop_gradient(w[i] * w[i]));
  REAL t = shrink(b, s) + vg_stop_gradient(s) * b;
  REAL u = t;
#pragma vgrad checkpoint
  for (int k = 0; k < 4; k++)
    u = u * (REAL)0.5 + vg_stop_gradient(u * u) * (REAL)0.25 * b + w[k % n];
  return u + (s - vg_stop_gradient(s)) * b;
}
#pragma vgrad value_and_grad(stop_gradient) argnums(0, 1)

#ifdef VG_DRIVER
#include "stop_gradient.vg.h"
#include "fdcheck.h"

enum { N = 4 };
static REAL in_w[N] = {0.7, -0.4, 1.1, 0.25}, in_b = 0.6, in_x = 0.8, in_y = -1.3;

/* Each evaluation reads the stopped values from the first again. */
static REAL loss(void) {
  sg_count = 0;
  return stop_gradient(in_w, in_b, N);
}

static REAL product_loss(void) {
  sg_count = 0;
  return sg_product(in_x, in_y);
}

/* The original at the point checked, recording the stopped values (and
 * how many there are); the finite differences then replay them. */
static REAL record(REAL (*original)(void), int *calls) {
  sg_replay = 0;
  REAL v = original();
  *calls = sg_count;
  sg_replay = 1;
  return v;
}

int main(void) {
  int calls;
  REAL d_x = 0, d_y = 0;
  REAL v = sg_product_value_and_grad(in_x, in_y, &d_x, &d_y);
  fd_value("sg_product", v, record(product_loss, &calls));
  fd_same("d_x by hand (x * y)", -1, d_x, (double)(in_x * in_y));
  fd_same("d_y by hand (0)", -1, d_y, 0.0);
  fd_check("d_x", -1, &in_x, d_x, product_loss);
  fd_check("d_y", -1, &in_y, d_y, product_loss);

  REAL d_w[N] = {0}, d_b = 0;
  v = stop_gradient_value_and_grad(in_w, in_b, N, d_w, &d_b);
  fd_value("stop_gradient", v, record(loss, &calls));
  fd_checks++;
  if (calls != N + 7) {
    printf("MISMATCH calls: the original made %d calls of vg_stop_gradient, expected %d\n", calls, N + 7);
    fd_failures++;
  }
  fd_check_array("d_w", in_w, d_w, N, loss);
  fd_check("d_b", -1, &in_b, d_b, loss);
  return fd_report("stop_gradient");
}
#endif
