/* caller_after: after the gradient call the caller's memory holds what the
 * plain call leaves there, whatever the type written: the reverse sweep
 * restores old values, and each is put back at the end.  A short written
 * through a pointer member by member, and a struct with unsigned char, bool,
 * short, uint16_t and pointer members replaced whole, in loops (both came
 * back with their values from before the call). */
#include "caller_after.h"

const Rec templates[2] = {{0, "even", 0, 0, 0, 0}, {0, "odd", 0, 0, 0, 0}};

/* s->k, a short, written each iteration */
REAL member_short(Rec *s, const REAL *x, int n) {
  REAL acc = 0;
  for (int i = 0; i < n; i++) {
    s->k = (short)(s->k + 1);
    acc += s->w * x[i] * s->k;
    s->w = s->w * x[i];
  }
  return acc;
}
#pragma vgrad value_and_grad(member_short) argnums(0, 1)

/* *s = t, every member replaced */
REAL whole(Rec *s, const REAL *x, int n) {
  REAL acc = 0;
  for (int i = 0; i < n; i++) {
    Rec t = templates[i % 2];
    t.w = s->w * x[i] + (s->on ? (REAL)0.5 : (REAL)0.25);
    t.u = (unsigned char)(s->u + 100);
    t.on = !s->on;
    t.k = (short)(s->k - 3);
    t.count = (uint16_t)(s->count * 3);
    acc += t.w * s->w * (t.u > 150 ? 2 : 1);
    *s = t;
  }
  return acc;
}
#pragma vgrad value_and_grad(whole) argnums(0, 1)

#ifdef VG_DRIVER
#include <string.h>

#include "caller_after.vg.h"
#include "fdcheck.h"

#define N 3
static REAL in_x[N] = {0.3, -0.4, 0.5};
static Rec in_s = {0.8, "start", 7, 0, 2, 40000}, work;
static REAL loss_member_short(void) {
  work = in_s;
  return member_short(&work, in_x, N);
}
static REAL loss_whole(void) {
  work = in_s;
  return whole(&work, in_x, N);
}

/* the gradient call left `after`; work holds what the plain call leaves */
static void same_record(const char *f, const Rec *after) {
  printf("%s: ", f);
  fd_same("after w", -1, after->w, work.w);
  fd_same("after name is the plain call's", -1, after->name == work.name, 1);
  fd_same("after u", -1, after->u, work.u);
  fd_same("after on", -1, after->on, work.on);
  fd_same("after k", -1, after->k, work.k);
  fd_same("after count", -1, after->count, work.count);
  printf("checked\n");
}

int main(void) {
  REAL d_x[N] = {0};
  Rec d_s, after;
  memset(&d_s, 0, sizeof d_s);
  work = in_s;
  REAL v = member_short_value_and_grad(&work, in_x, N, &d_s, d_x);
  after = work;
  fd_value("member_short", v, loss_member_short());
  same_record("member_short", &after);
  fd_check("member_short d_s.w", -1, &in_s.w, d_s.w, loss_member_short);
  fd_check_array("member_short d_x", in_x, d_x, N, loss_member_short);

  memset(d_x, 0, sizeof d_x);
  memset(&d_s, 0, sizeof d_s);
  work = in_s;
  v = whole_value_and_grad(&work, in_x, N, &d_s, d_x);
  after = work;
  fd_value("whole", v, loss_whole());
  same_record("whole", &after);
  fd_check("whole d_s.w", -1, &in_s.w, d_s.w, loss_whole);
  fd_check_array("whole d_x", in_x, d_x, N, loss_whole);
  return fd_report("caller_after");
}
#endif
