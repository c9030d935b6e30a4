/* struct_loop: struct variables overwritten inside loops.  The tape holds
 * scalars, so a struct saved there goes on it member by member (nested
 * structs, fixed array members and integer members included) and comes
 * back in the opposite order; a by-value struct parameter's local adjoint
 * is added to the caller's member by member.  One function per spelling:
 * a declaration with an initialiser in the body, a copy from another
 * struct, a helper's struct result, an array element copied from another,
 * a copy of the caller's struct (old = *s), a store of a whole struct into
 * the caller's memory (*s = t: the caller sees the final values after the
 * gradient call too), and a by-value parameter updated in place; the
 * helper's loop again under `#pragma vgrad checkpoint`. */
#include <math.h>

#include "struct_loop.h"

/* State s = {...} in the body: a new value each iteration */
REAL loop_init(const REAL *x, int n) {
  REAL acc = 0;
  for (int i = 0; i < n; i++) {
    State s = {{x[i], (REAL)0.5 * x[i]}, 0};
    s.vel = s.pos[0] * s.pos[1];
    s.pos[1] = sin(s.vel + s.pos[1]);
    acc += s.pos[0] * s.pos[1] + s.vel * s.vel;
  }
  return acc;
}
#pragma vgrad value_and_grad(loop_init) argnums(0)

/* q = p: a nested struct with an array and an integer member */
REAL loop_copy(const REAL *x, int n) {
  Body p = {{{1.0, 0.5}, 0.2}, 1, 0.1}, q;
  REAL acc = 0;
  for (int i = 0; i < n; i++) {
    q = p;
    p.st.pos[0] = q.st.pos[1] * x[i] + q.st.vel;
    p.st.pos[1] = q.st.pos[0] * cos(x[i]);
    p.st.vel = (REAL)0.5 * q.energy * q.hits + x[i];
    p.hits = q.hits + (x[i] > 0 ? 1 : 0);
    p.energy = q.energy * q.st.pos[0] + (REAL)0.1 * x[i];
    acc += p.st.pos[0] * q.st.vel + p.energy * q.hits;
  }
  return acc + p.st.pos[1] * p.energy;
}
#pragma vgrad value_and_grad(loop_copy) argnums(0)

/* a helper of this file returning a struct */
static State advance(State s, REAL h) {
  State r;
  r.pos[0] = s.pos[0] + h * s.vel;
  r.pos[1] = s.pos[1] * cos(h);
  r.vel = s.vel - h * s.pos[0];
  return r;
}

REAL loop_helper(State s0, const REAL *h, int n) {
  State s = s0;
  for (int i = 0; i < n; i++)
    s = advance(s, h[i]);
  return s.pos[0] * s.pos[1] + s.vel;
}
#pragma vgrad value_and_grad(loop_helper) argnums(0, 1)

/* the same loop checkpointed: each segment is taped again when reversed */
REAL loop_checkpoint(State s0, const REAL *h, int n) {
  State s = s0;
#pragma vgrad checkpoint snapshots(2)
  for (int i = 0; i < n; i++)
    s = advance(s, h[i]);
  return s.pos[0] * s.pos[1] + s.vel;
}
#pragma vgrad value_and_grad(loop_checkpoint) argnums(0, 1)

/* arr[j] = arr[k] on an array of structs */
REAL loop_elements(const REAL *x, int n) {
  struct Acc arr[3];
  for (int j = 0; j < 3; j++) {
    arr[j].sum = x[j];
    arr[j].sq = x[j] * x[j];
  }
  REAL acc = 0;
  for (int i = 0; i < n; i++) {
    int j = (i + 1) % 3, k = i % 3;
    arr[j] = arr[k];
    arr[j].sum = arr[j].sum * arr[j].sq + x[i];
    acc += arr[j].sum * arr[k].sq;
  }
  return acc;
}
#pragma vgrad value_and_grad(loop_elements) argnums(0)

/* old = *s, then the caller's struct updated member by member */
REAL loop_deref(struct Acc *s, const REAL *x, int n) {
  struct Acc old;
  REAL acc = 0;
  for (int i = 0; i < n; i++) {
    old = *s;
    s->sum = old.sum * x[i] + old.sq;
    s->sq = old.sq * cos(x[i]);
    acc += old.sum * s->sq;
  }
  return acc;
}
#pragma vgrad value_and_grad(loop_deref) argnums(0, 1)

/* *s = t: the caller's struct replaced whole */
REAL loop_store(struct Acc *s, const REAL *x, int n) {
  REAL acc = 0;
  for (int i = 0; i < n; i++) {
    struct Acc t;
    t.sum = s->sum * x[i] + s->sq;
    t.sq = s->sq * cos(x[i]);
    acc += t.sum * s->sq;
    *s = t;
  }
  return acc + s->sum;
}
#pragma vgrad value_and_grad(loop_store) argnums(0, 1)

/* a by-value struct parameter updated in place */
REAL loop_param(State s, const REAL *x, int n) {
  REAL acc = 0;
  for (int i = 0; i < n; i++) {
    s.pos[0] = s.pos[0] * x[i] + s.vel;
    s.vel = s.vel * cos(x[i]) + s.pos[1];
    acc += s.pos[0] * s.vel;
  }
  return acc;
}
#pragma vgrad value_and_grad(loop_param) argnums(0, 1)

#ifdef VG_DRIVER
#include <string.h>

#include "struct_loop.vg.h"
#include "fdcheck.h"

#define N 5
static REAL in_x[N] = {0.3, -0.4, 0.5, 0.2, -0.6};
static int in_n = N;
static State in_s = {{0.4, -0.3}, 0.8};
static struct Acc in_acc = {0.7, -0.2};
static struct Acc work; /* what loop_deref and loop_store write */

static REAL loss_init(void) { return loop_init(in_x, in_n); }
static REAL loss_copy(void) { return loop_copy(in_x, in_n); }
static REAL loss_helper(void) { return loop_helper(in_s, in_x, in_n); }
static REAL loss_checkpoint(void) { return loop_checkpoint(in_s, in_x, in_n); }
static REAL loss_elements(void) { return loop_elements(in_x, in_n); }
static REAL loss_deref(void) {
  work = in_acc;
  return loop_deref(&work, in_x, in_n);
}
static REAL loss_store(void) {
  work = in_acc;
  return loop_store(&work, in_x, in_n);
}
static REAL loss_param(void) { return loop_param(in_s, in_x, in_n); }

static void check_state(const char *name, State *d, fd_loss_fn loss) {
  fd_check(name, 0, &in_s.pos[0], d->pos[0], loss);
  fd_check(name, 1, &in_s.pos[1], d->pos[1], loss);
  fd_check(name, 2, &in_s.vel, d->vel, loss);
}

static void check_acc(const char *name, struct Acc *d, fd_loss_fn loss) {
  fd_check(name, 0, &in_acc.sum, d->sum, loss);
  fd_check(name, 1, &in_acc.sq, d->sq, loss);
}

int main(void) {
  REAL d_x[N];
  State d_s;
  struct Acc d_acc, after;

  memset(d_x, 0, sizeof d_x);
  fd_value("loop_init", loop_init_value_and_grad(in_x, in_n, d_x), loss_init());
  fd_check_array("loop_init d_x", in_x, d_x, N, loss_init);

  memset(d_x, 0, sizeof d_x);
  fd_value("loop_copy", loop_copy_value_and_grad(in_x, in_n, d_x), loss_copy());
  fd_check_array("loop_copy d_x", in_x, d_x, N, loss_copy);

  memset(d_x, 0, sizeof d_x);
  memset(&d_s, 0, sizeof d_s);
  fd_value("loop_helper", loop_helper_value_and_grad(in_s, in_x, in_n, &d_s, d_x), loss_helper());
  check_state("loop_helper d_s0", &d_s, loss_helper);
  fd_check_array("loop_helper d_h", in_x, d_x, N, loss_helper);

  State d_s_taped = d_s;
  REAL d_h_taped[N];
  memcpy(d_h_taped, d_x, sizeof d_x);
  memset(d_x, 0, sizeof d_x);
  memset(&d_s, 0, sizeof d_s);
  fd_value("loop_checkpoint", loop_checkpoint_value_and_grad(in_s, in_x, in_n, &d_s, d_x), loss_checkpoint());
  check_state("loop_checkpoint d_s0", &d_s, loss_checkpoint);
  fd_check_array("loop_checkpoint d_h", in_x, d_x, N, loss_checkpoint);
  for (int i = 0; i < N; i++)
    fd_same("loop_checkpoint d_h against taped", i, d_x[i], d_h_taped[i]);
  fd_same("loop_checkpoint d_s0.vel against taped", -1, d_s.vel, d_s_taped.vel);

  memset(d_x, 0, sizeof d_x);
  fd_value("loop_elements", loop_elements_value_and_grad(in_x, in_n, d_x), loss_elements());
  fd_check_array("loop_elements d_x", in_x, d_x, N, loss_elements);

  /* the caller's struct after the gradient call holds what the plain call leaves */
  memset(d_x, 0, sizeof d_x);
  memset(&d_acc, 0, sizeof d_acc);
  work = in_acc;
  REAL v = loop_deref_value_and_grad(&work, in_x, in_n, &d_acc, d_x);
  after = work;
  fd_value("loop_deref", v, loss_deref());
  fd_value("loop_deref s->sum after", after.sum, work.sum);
  fd_value("loop_deref s->sq after", after.sq, work.sq);
  check_acc("loop_deref d_s", &d_acc, loss_deref);
  fd_check_array("loop_deref d_x", in_x, d_x, N, loss_deref);

  memset(d_x, 0, sizeof d_x);
  memset(&d_acc, 0, sizeof d_acc);
  work = in_acc;
  v = loop_store_value_and_grad(&work, in_x, in_n, &d_acc, d_x);
  after = work;
  fd_value("loop_store", v, loss_store());
  fd_value("loop_store s->sum after", after.sum, work.sum);
  fd_value("loop_store s->sq after", after.sq, work.sq);
  check_acc("loop_store d_s", &d_acc, loss_store);
  fd_check_array("loop_store d_x", in_x, d_x, N, loss_store);

  memset(d_x, 0, sizeof d_x);
  memset(&d_s, 0, sizeof d_s);
  fd_value("loop_param", loop_param_value_and_grad(in_s, in_x, in_n, &d_s, d_x), loss_param());
  check_state("loop_param d_s", &d_s, loss_param);
  fd_check_array("loop_param d_x", in_x, d_x, N, loss_param);
  return fd_report("struct_loop");
}
#endif
