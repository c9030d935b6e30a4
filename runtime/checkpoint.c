/* Binomial checkpointing of a loop, in the style of Revolve (Griewank and
 * Walther): the schedule of a loop of n steps reversed with s snapshots of
 * its state, recomputing from the nearest snapshot instead of taping every
 * step.  With t the smallest number of sweeps such that C(s + t, s) >= n,
 * each step is recomputed at most t times.
 *
 * The schedule's steps are segments of `stride` steps of the loop (1 when
 * the number of snapshots is given; about sqrt(n) when it is chosen here).
 *
 * reverse(start, end, s): the state is at `start`, whose snapshot is on top
 *   of the stack.  One segment: REVERSE it.  Otherwise advance m steps, store a
 *   snapshot, reverse the last end - start - m steps with s - 1 snapshots,
 *   drop that snapshot, restore `start` and reverse the first m with s. */
#include "vgrad.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *grow(void *p, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap)
    return p;
  size_t cap2 = *cap ? *cap : 16;
  while (cap2 < need)
    cap2 *= 2;
  void *q = realloc(p, cap2 * elem);
  if (!q) {
    fprintf(stderr, "vgrad: error: checkpointing: out of memory\n");
    abort();
  }
  *cap = cap2;
  return q;
}

/* C(s + t, s) = C(s + t, t), saturating; a loop over the smaller of the two. */
static double beta(long s, long t) {
  long k = s < t ? s : t, other = s < t ? t : s;
  double r = 1;
  for (long i = 1; i <= k; i++) {
    r = r * (double)(other + i) / (double)i;
    if (r > 1e18)
      return 1e18;
  }
  return r;
}

/* Steps to advance before the next snapshot, for n steps and s snapshots. */
static long split(long n, long s) {
  long t = 1;
  while (beta(s, t) < (double)n)
    t++;
  double right = beta(s - 1, t); /* the last part, reversed with s - 1 */
  long m = right >= (double)(n - 1) ? 1 : n - (long)right;
  if (m < 1)
    m = 1;
  if (m > n - 1)
    m = n - 1;
  return m;
}

static void push_frame(vg_ckpt *c, long start, long end, long s, int phase) {
  c->frames = grow(c->frames, &c->cap_frames, c->nframes + 1, sizeof *c->frames);
  c->frames[c->nframes++] = (struct vg_ckpt_frame){start, end, s, phase, 0};
}

static void queue(vg_ckpt *c, int action, long from, long to) {
  c->queue[c->nqueue].action = action;
  c->queue[c->nqueue].from = from;
  c->queue[c->nqueue].to = to;
  c->nqueue++;
}

void vg_ckpt_begin(vg_ckpt *c, long nsteps, long snapshots, size_t state_bytes) {
  memset(c, 0, sizeof *c);
  c->state_bytes = state_bytes ? state_bytes : 1;
  c->nsteps = nsteps > 0 ? nsteps : 0;
  c->stride = 1;
  if (snapshots <= 0) {
    /* Chosen here: about sqrt(n) segments of about sqrt(n) steps, a snapshot
     * at the start of each; each segment is taped whole when reversed.  Every
     * step then runs twice (once untaped, once taped), and a schedule action
     * stands for sqrt(n) steps, not one. */
    while (c->stride * c->stride < c->nsteps)
      c->stride++;
    snapshots = (c->nsteps + c->stride - 1) / c->stride;
    if (snapshots < 1)
      snapshots = 1;
  }
  c->snapshots = snapshots;
  if (nsteps <= 0)
    return;
  queue(c, VG_CK_STORE, 0, 0);
  push_frame(c, 0, (c->nsteps + c->stride - 1) / c->stride, snapshots - 1, 0);
}

unsigned char *vg_ckpt_push_snapshot(vg_ckpt *c) {
  c->store = grow(c->store, &c->cap_store, (c->nstored + 1) * c->state_bytes, 1);
  unsigned char *p = c->store + c->nstored * c->state_bytes;
  c->nstored++;
  if (c->nstored * c->state_bytes > c->peak_bytes)
    c->peak_bytes = c->nstored * c->state_bytes;
  return p;
}

const unsigned char *vg_ckpt_top_snapshot(const vg_ckpt *c) {
  return c->nstored ? c->store + (c->nstored - 1) * c->state_bytes : NULL;
}

/* Fills the queue with the next actions; false when the schedule is done. */
static bool refill(vg_ckpt *c) {
  while (c->nqueue == 0) {
    if (c->nframes == 0)
      return false;
    struct vg_ckpt_frame *f = &c->frames[c->nframes - 1];
    long n = f->end - f->start;
    if (f->phase == 0 && n == 1) {
      queue(c, VG_CK_REVERSE, f->start, f->start + 1);
      c->nframes--;
    } else if (f->phase == 0 && f->s <= 0) {
      /* no snapshot left: redo from `start` for each step, last first */
      f->phase = 2;
      f->cursor = f->end - 1;
    } else if (f->phase == 0) {
      long m = split(n, f->s);
      f->phase = 1;
      f->cursor = f->start + m;
      queue(c, VG_CK_ADVANCE, f->start, f->start + m);
      queue(c, VG_CK_STORE, f->start + m, f->start + m);
      push_frame(c, f->start + m, f->end, f->s - 1, 0);
    } else if (f->phase == 1) {
      long mid = f->cursor, start = f->start, s = f->s;
      c->nframes--;
      queue(c, VG_CK_DROP, mid, mid);
      queue(c, VG_CK_RESTORE, start, start);
      push_frame(c, start, mid, s, 0);
    } else { /* phase 2 */
      long k = f->cursor--;
      if (k < f->start) {
        c->nframes--;
        continue;
      }
      if (k < f->end - 1)
        queue(c, VG_CK_RESTORE, f->start, f->start);
      if (k > f->start)
        queue(c, VG_CK_ADVANCE, f->start, k);
      queue(c, VG_CK_REVERSE, k, k + 1);
    }
  }
  return true;
}

int vg_ckpt_next(vg_ckpt *c, long *from, long *to) {
  if (c->head == c->nqueue) {
    c->head = c->nqueue = 0;
    if (!refill(c))
      return VG_CK_DONE;
  }
  int a = c->queue[c->head].action;
  /* segments to steps */
  *from = c->queue[c->head].from * c->stride;
  *to = c->queue[c->head].to * c->stride;
  if (*to > c->nsteps)
    *to = c->nsteps;
  c->head++;
  if (a == VG_CK_DROP && c->nstored > 0) {
    c->nstored--;
    return vg_ckpt_next(c, from, to);
  }
  if (a == VG_CK_ADVANCE)
    c->steps_advanced += *to - *from;
  return a;
}

void vg__note_snapshots(size_t peak_bytes);

void vg_ckpt_end(vg_ckpt *c) {
  vg__note_snapshots(c->peak_bytes);
  free(c->frames);
  free(c->store);
  c->frames = NULL;
  c->store = NULL;
  c->nframes = c->nstored = 0;
}
