/* incr_members: struct members incremented through a pointer are not
 * saved, however the increment is spelled: s->acc = s->acc + e, (*s).v[k]
 * = s->v[k] + e, s->v[0] = e + (*s).v[0], and st[0].acc = st[0].acc - e
 * on the array itself.  The reverse sweep reads st's members only at the
 * end (st[0].acc * st[1].acc, ...), where they are taped: a member read
 * through `.` of an array element (st[1].acc) is taped like s->acc
 * (ad/calls.c, tape_read), so st is not saved on its writes
 * (ad/taped_reads.c).  The driver checks the tape's bytes exactly: the
 * pointers s and d_s a step (s = &st[i % 2] is saved, not recomputed) and
 * the six members read at the end; before, st's members were saved on
 * every write (4 REALs a step and its 8 initial values). */
#ifndef REAL
#define REAL double
#endif
typedef struct {
  REAL acc;
  REAL v[3];
} Acc;

REAL incr_members(const REAL *w, const REAL *x, int n) {
  Acc st[2];
  for (int k = 0; k < 2; k++) {
    st[k].acc = w[k];
    for (int m = 0; m < 3; m++)
      st[k].v[m] = w[2] * m;
  }
  for (int i = 0; i < n; i++) {
    Acc *s = &st[i % 2];
    s->acc = s->acc + w[0] * x[i];
    (*s).v[i % 3] = s->v[i % 3] + w[1] * x[i];
    s->v[0] = x[i] * w[2] + (*s).v[0];
    st[0].acc = st[0].acc - w[1] * x[i] * x[i];
  }
  return st[0].acc * st[1].acc + st[0].v[1] * st[1].v[2] + st[1].v[0] * st[0].v[0];
}
#pragma vgrad value_and_grad(incr_members) argnums(0, 1)

#ifdef VG_DRIVER
#include <vgrad.h>
#include "incr_members.vg.h"
#include "fdcheck.h"
#define N 30
static REAL in_w[3] = {0.7, -0.4, 0.3};
static REAL in_x[N];
static int in_n;
static REAL loss(void) { return incr_members(in_w, in_x, in_n); }
int main(void) {
  for (int i = 0; i < N; i++)
    in_x[i] = (REAL)(0.5 * sin(0.7 * i + 0.2));
  const int lengths[] = {0, 1, 5, N};
  for (int t = 0; t < 4; t++) {
    in_n = lengths[t];
    REAL d_w[3] = {0}, d_x[N] = {0};
    vg_memory_stats stats;
    vg_memory_stats_reset();
    REAL v = incr_members_value_and_grad(in_w, in_x, in_n, d_w, d_x);
    vg_memory_stats_get(&stats);
    /* the six members read at the end: s = &st[i % 2] is recomputed in
     * each reverse step, not saved */
    double bytes = 6.0 * sizeof(REAL);
    fd_value("tape bytes pushed", (double)stats.tape_bytes_pushed, bytes);
    fd_value("value", v, loss());
    fd_check_array("d_w", in_w, d_w, 3, loss);
    fd_check_array("d_x", in_x, d_x, N, loss);
  }
  return fd_report("incr_members");
}
#endif
