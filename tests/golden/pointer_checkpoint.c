/* pointer_checkpoint: ping-pong buffers in a checkpointed time loop, the
 * roles chosen from the step's parity at the top of each step (`cur = t %
 * 2 ? b : a`), so that a replay from a snapshot sets the pointers and
 * their gradient pointers itself.  (Swapping them instead, `tmp = cur;
 * cur = nxt; nxt = tmp;`, carries them across steps, which a checkpointed
 * loop refuses: bad/checkpoint_pointer_moves.) */
#ifndef REAL
#define REAL double
#endif
#include <math.h>

REAL pointer_checkpoint(const REAL *x, const REAL *k, int steps) {
  REAL a[4], b[4];
  for (int i = 0; i < 4; i++) {
    a[i] = x[i];
    b[i] = 0;
  }
  const REAL *cur;
  REAL *nxt;
#pragma vgrad checkpoint
  for (int t = 0; t < steps; t++) {
    cur = t % 2 ? b : a;
    if (t % 2)
      nxt = a;
    else
      nxt = b;
    for (int i = 0; i < 4; i++)
      nxt[i] = sin(cur[i]) * k[0] + k[1] * cur[(i + 1) % 4];
  }
  cur = steps % 2 ? b : a;
  return cur[0] * cur[1] + cur[2] - cur[3];
}
#pragma vgrad value_and_grad(pointer_checkpoint) argnums(0, 1)

#ifdef VG_DRIVER
#include "pointer_checkpoint.vg.h"
#include "fdcheck.h"

static REAL in_x[4] = {0.3, -0.5, 0.8, 0.1};
static REAL in_k[2] = {0.9, 0.4};
static int in_steps;
static REAL loss(void) { return pointer_checkpoint(in_x, in_k, in_steps); }

int main(void) {
  for (in_steps = 6; in_steps <= 7; in_steps++) {
    REAL d_x[4] = {0}, d_k[2] = {0};
    REAL v = pointer_checkpoint_value_and_grad(in_x, in_k, in_steps, d_x, d_k);
    fd_value("value", v, loss());
    fd_check_array("d_x", in_x, d_x, 4, loss);
    fd_check_array("d_k", in_k, d_k, 2, loss);
  }
  return fd_report("pointer_checkpoint");
}
#endif
