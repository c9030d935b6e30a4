/* The checkpointing schedule (runtime/checkpoint.c) on a simulated loop
 * whose state is its step number: every action must find the state it
 * expects, and the steps must be reversed exactly once each, last first
 * (one at a time when the number of snapshots is given). */
#include <stdio.h>
#include <string.h>
#include <vgrad.h>

static int failures;

static void check(long n, long s, double max_advances_per_step) {
  vg_ckpt c;
  vg_ckpt_begin(&c, n, s, sizeof(long));
  long state = 0, expect = n - 1, from, to, advanced = 0;
  int a;
  const char *why = NULL;
  while (!why && (a = vg_ckpt_next(&c, &from, &to)) != VG_CK_DONE) {
    if (a == VG_CK_ADVANCE) {
      if (state != from)
        why = "advance from the wrong step";
      state = to;
      advanced += to - from;
    } else if (a == VG_CK_STORE) {
      if (state != from)
        why = "snapshot of the wrong step";
      memcpy(vg_ckpt_push_snapshot(&c), &state, sizeof state);
    } else if (a == VG_CK_RESTORE) {
      memcpy(&state, vg_ckpt_top_snapshot(&c), sizeof state);
      if (state != from)
        why = "restored the wrong snapshot";
    } else if (a == VG_CK_REVERSE) {
      if (state != from || to != expect + 1 || to <= from || (s > 0 && to != from + 1))
        why = "reversed the wrong steps";
      expect = from - 1;
      state = -1;
    }
  }
  if (!why && expect != -1)
    why = "a step was not reversed";
  double per_step = n ? (double)advanced / (double)n : 0;
  if (!why && per_step > max_advances_per_step)
    why = "too many recomputed steps";
  if (why) {
    printf("FAIL checkpoint_n%ld_s%ld: %s (%.2f recomputed per step)\n", n, s, why, per_step);
    failures++;
  } else {
    printf("PASS checkpoint_n%ld_s%ld (%ld snapshots, %.2f recomputed per step, %zu snapshot bytes)\n", n, s,
           c.snapshots, per_step, c.peak_bytes);
  }
  vg_ckpt_end(&c);
}

int main(void) {
  long ns[] = {1, 2, 3, 7, 10, 100, 1000, 12345};
  long ss[] = {0, 1, 2, 3, 5, 50};
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 6; j++)
      check(ns[i], ss[j], 1e9);
  /* the default for a million steps: segments of 1000 steps, each step
   * run once untaped (the segments taped when reversed are not counted) */
  check(1000000, 0, 1.0);
  check(1000000, 1000, 3.0);
  return failures != 0;
}
