/* tape.c: the out-of-line half of vgrad_tape.h -- growth and release.
 * Kept out of the inline push so the fast path stays a compare and a store. */
#include <stdint.h>
#include <stdlib.h>

#include "vg_internal.h"

enum { FIRST_CAPACITY = 1024 };

/* Doubles *cap (elements of `elsize` bytes) and reallocates *items.  Running
 * out of memory cannot be reported and continued from (the push would write
 * past the end), so after the error handler it aborts. */
static void grow(void **items, size_t *cap, size_t elsize, const char *what) {
  size_t new_cap = *cap ? *cap * 2 : FIRST_CAPACITY;
  void *p = NULL;
  if (new_cap > *cap && new_cap <= SIZE_MAX / elsize) p = realloc(*items, new_cap * elsize);
  if (!p) {
    vg__error("vg_tape: out of memory growing the %s stack beyond %zu entries", what, *cap);
    abort();
  }
  *items = p;
  *cap = new_cap;
}

void vg_tape_grow_f64(vg_tape *t) {
  void *p = t->f64;
  grow(&p, &t->capf64, sizeof(double), "double");
  t->f64 = p;
}

void vg_tape_grow_i32(vg_tape *t) {
  void *p = t->i32;
  grow(&p, &t->capi32, sizeof(int), "int");
  t->i32 = p;
}

void vg_tape_grow_ptr(vg_tape *t) {
  void *p = t->ptr;
  grow(&p, &t->capptr, sizeof(void *), "pointer");
  t->ptr = p;
}

void vg_tape_underflow(const char *function) {
  vg__error("%s: the tape is empty (more pops than pushes)", function);
}

static vg_memory_stats stats;

void vg_memory_stats_get(vg_memory_stats *out) { *out = stats; }
void vg_memory_stats_reset(void) { stats = (vg_memory_stats){0, 0, 0}; }
void vg__note_snapshots(size_t peak_bytes) {
  if (peak_bytes > stats.snapshot_peak_bytes)
    stats.snapshot_peak_bytes = peak_bytes;
}

void vg_tape_free(vg_tape *t) {
  stats.tape_bytes_pushed += t->bytes_pushed;
  if (t->peak_bytes > stats.tape_peak_bytes)
    stats.tape_peak_bytes = t->peak_bytes;
  free(t->f64);
  free(t->i32);
  free(t->ptr);
  size_t pushed = t->bytes_pushed, peak = t->peak_bytes;
  vg_tape_init(t);
  t->bytes_pushed = pushed; /* statistics outlive the memory */
  t->peak_bytes = peak;
}

void vg_tape_clear(vg_tape *t) { t->nf64 = t->ni32 = t->nptr = 0; }
